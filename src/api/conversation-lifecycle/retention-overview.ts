// The overview is the retention service's; the route handler calls it from here.
export { retentionOverview } from '../../retention/retention-overview.js';
