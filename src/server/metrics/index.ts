// Metrics: what the rest of Qala calls. Definitions are in registry.ts, the /metrics
// answer in endpoint.ts, route patterns in routes.ts.
export { metricsEndpoint } from './endpoint.ts';
export { recordJobRun, recordQuery, recordRequest, recordSignIn, setMailQueueSource, type JobOutcome, type SignInOutcome } from './record.ts';
export { collectProcessMetrics, type MailQueueSource } from './registry.ts';
export { astroRouteLabels } from './routes.ts';
