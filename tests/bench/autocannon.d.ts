// autocannon ships no types; the benches use this much of it.
declare module 'autocannon' {
  interface Result {
    duration: number;
    requests: { average: number; total: number };
    latency: { p50: number; p99: number; average: number };
    non2xx: number;
    errors: number;
  }
  /** overallRate: requests a second across all connections (none: as fast as answered). */
  /** What a request is made of; `setupRequest` may change it before each request is sent. */
  interface RequestOptions {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    setupRequest?: (request: RequestOptions) => RequestOptions;
  }
  /**
   * overallRate: requests a second across all connections (none: as fast as answered);
   * amount: stop after this many requests instead of after `duration`.
   */
  function autocannon(options: {
    url: string;
    connections?: number;
    duration?: number;
    amount?: number;
    headers?: Record<string, string>;
    overallRate?: number;
    requests?: RequestOptions[];
  }): Promise<Result>;
  export default autocannon;
}
