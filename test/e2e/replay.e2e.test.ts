// End-to-end, one n8n process on SQLite (as users start it): repeated deliveries, bursts and re-publishing.
//
// The packed package installed as n8n installs a community package; the decline-alert example (Slack swapped
// for an HTTP Request to a local sink) published; the emulator delivers real signed declines through a tap
// that keeps their bytes (see ./deliveries). Checks:
//   - the same signed event again 0.1 s, 1 s and 10 s after n8n answered it: one execution and one message each;
//   - 50 distinct events at once, then the same 50 deliveries again: 50 executions, 50 messages, nothing more;
//   - the workflow re-published with other events while declines stream in, several rounds: one endpoint left,
//     a new delivery to it verified and run once, no event run twice;
//   - deactivation: no endpoint left.

import * as fs from 'node:fs';

import { NO_RATE_LIMITS, startEmulator } from '../../emulator/emulator';
import { ensureRealN8n } from '../../real-n8n/install';
import { freePort } from '../../real-n8n/ports';
import type { RunningN8n } from '../../real-n8n/running';
import { N8nUserFolder } from '../../real-n8n/user-folder';
import { formatDuration } from '../../real-n8n/proc';
import { deliveryTests } from './delivery-checks';
import { declineAlertToSink, DeliveryRig, Report } from './delivery-rig';
import { Tap } from './delivery-tap';
import {
	e2eCredential,
	packForE2e,
	startSink,
	type Emulator,
	type Json,
	type Sink,
} from './support';
import { OWNER } from '../../real-n8n/workflow';

jest.setTimeout(5 * 60_000);

const WORKFLOW_ID = 'PrivCardsE2eRply';

const t0 = Date.now();
const report = new Report();
let emulator: Emulator | undefined;
let folder: N8nUserFolder | undefined;
let n8n: RunningN8n | undefined;
let sink: Sink | undefined;
let tap: Tap | undefined;
let rig: DeliveryRig | undefined;
let packDir = '';

function ready(): DeliveryRig {
	if (!rig) throw new Error('set-up failed');
	return rig;
}

beforeAll(async () => {
	const real = await ensureRealN8n({ log: (line) => process.stderr.write(`[e2e] ${line}\n`) });
	const packed = await packForE2e();
	packDir = packed.packDir;
	folder = N8nUserFolder.create(real, { prefix: 'privcards-e2e-replay-' });
	await folder.installPackage(packed.tarball);

	// Retries shrunk 1000× (60 ms … 7.2 s) so that refused deliveries settle within a test; rate limits out of
	// the way (not what this suite is about).
	emulator = await startEmulator({
		deliveryRetryFactor: 0.001,
		rateLimits: NO_RATE_LIMITS,
	});
	sink = await startSink();
	tap = await Tap.start();

	const { workflow, triggerName } = declineAlertToSink(WORKFLOW_ID, sink.url);

	await folder.importCredentials([e2eCredential(emulator)]);
	await folder.importWorkflows([workflow as unknown as Json]);
	await folder.publish(WORKFLOW_ID);

	const port = await freePort();
	tap.upstreamPort = port;
	n8n = await folder.start({
		port,
		env: {
			N8N_WEBHOOK_URL: `${tap.url}/`,
			N8N_LOG_LEVEL: process.env.PRIVCARDS_E2E_LOG_LEVEL ?? 'info',
		},
	});
	await n8n.ensureOwner(OWNER);
	rig = new DeliveryRig(
		{
			name: 'single process',
			emulator,
			tap,
			sink,
			main: n8n,
			receiver: n8n,
			workers: [],
			workflowId: WORKFLOW_ID,
			triggerName,
		},
		report,
	);
	report.add(
		`set-up (build, pack, install, import, publish, n8n start): ${formatDuration(Date.now() - t0)}`,
	);
}, 20 * 60_000);

afterAll(async () => {
	await n8n?.stop();
	await emulator?.stop();
	await sink?.close();
	await tap?.close();
	report.add(`whole suite: ${formatDuration(Date.now() - t0)}`);
	report.print('replay suite, one n8n process (SQLite)');
	if (process.env.PRIVCARDS_E2E_KEEP) process.stderr.write(`[e2e] kept ${folder?.root ?? ''}\n`);
	else folder?.remove();
	if (packDir) fs.rmSync(packDir, { recursive: true, force: true });
}, 60_000);

test('publishing the decline-alert example registers exactly one endpoint', async () => {
	const endpoint = await ready().waitForOnlyEndpoint(['transaction.declined']);
	expect(endpoint.url.startsWith(`${tap?.url}/webhook/`)).toBe(true);
});

deliveryTests(ready);
