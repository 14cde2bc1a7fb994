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
  function autocannon(options: { url: string; connections?: number; duration?: number; headers?: Record<string, string>; overallRate?: number }): Promise<Result>;
  export default autocannon;
}
