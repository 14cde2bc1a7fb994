import type { RunningServer } from '../helpers/server.ts';

/**
 * Reads a server's own time per request from its log (the `ms` of each `request` line,
 * from the request's arrival until its last byte was handed to the socket), by request
 * id (the answer's X-Request-Id). That is the server's time, HTTP included; the client's
 * wall time adds what the measuring process itself does (fetch, unzipping, its own
 * garbage collection), which on a loaded machine or with a busy client is most of a tail.
 */
export class LoggedTimes {
  #read = 0;
  constructor(private readonly server: RunningServer) {}

  /** The `ms` of each request line logged since the last call, by request id. */
  sinceLastCall(): Map<string, number> {
    const output = this.server.stdout();
    const times = new Map<string, number>();
    for (const line of output.slice(this.#read).split('\n')) {
      if (!line.includes('"msg":"request"')) continue;
      try {
        const entry = JSON.parse(line) as { requestId?: string; ms?: number };
        if (entry.requestId && typeof entry.ms === 'number') times.set(entry.requestId, entry.ms);
      } catch {
        // A line cut at the end of the output so far: read next time.
      }
    }
    this.#read = output.lastIndexOf('\n') + 1;
    return times;
  }

  /** The logged times of these requests, sorted; waits for the last lines to be written. */
  async of(requestIds: string[]): Promise<number[]> {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const logged = this.sinceLastCall();
    return requestIds.map((id) => logged.get(id)).filter((ms): ms is number => ms !== undefined).sort((a, b) => a - b);
  }
}
