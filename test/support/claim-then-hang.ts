/**
 * A dispatcher that dies between claiming and sending: claims every due outbox row of DATABASE_URL with
 * the real `claimDueNotifications` and a lease of LEASE_SECONDS, prints `CLAIMED <json ids>` and then
 * waits forever, for the test to SIGKILL it. Run with `node --import tsx test/support/claim-then-hang.ts`.
 */
import { openPostgres } from '../../src/db/client.js';
import { claimDueNotifications } from '../../src/notify/outbox.js';

const url = process.env.DATABASE_URL;
const leaseSeconds = Number(process.env.LEASE_SECONDS ?? '5');
if (!url) throw new Error('DATABASE_URL is required');

const handle = openPostgres(url, 1);
const claimed = await claimDueNotifications(handle.db, 1000, leaseSeconds);
process.stdout.write(`CLAIMED ${JSON.stringify(claimed.map((row) => row.id))}\n`);
// Keeps the process (and its connection) alive until it is killed, as a dispatcher stuck mid-send would.
setInterval(() => undefined, 60_000);
