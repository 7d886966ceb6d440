/**
 * `npm run sandbox`: the emulator on a fixed port, for trying the nodes without an account.
 * Options (`--help`): `--port <n>` (or PRIVCARDS_SANDBOX_PORT, default 4010), `--host <h>` (or
 * PRIVCARDS_SANDBOX_HOST).
 */
import { parseArgs } from 'node:util';

import { ROUTES } from '../nodes/PrivCards/contract';
import { startEmulator } from './emulator';

const DEFAULT_PORT = 4010;

const USAGE = `npm run sandbox [-- [--port N] [--host H]]
  --port N    port to listen on (default $PRIVCARDS_SANDBOX_PORT, else ${DEFAULT_PORT}; 0 = any free port)
  --host H    address to listen on (default $PRIVCARDS_SANDBOX_HOST, else the emulator's default)
  -h, --help  this text
`;

function readArgs(): { port: number; host?: string } | undefined {
	const { values } = parseArgs({
		options: {
			port: { type: 'string', default: process.env.PRIVCARDS_SANDBOX_PORT },
			host: { type: 'string', default: process.env.PRIVCARDS_SANDBOX_HOST },
			help: { type: 'boolean', short: 'h', default: false },
		},
		strict: true,
		allowPositionals: false,
	});
	if (values.help) return undefined;
	const text = values.port;
	const port = text === undefined ? DEFAULT_PORT : Number(text);
	if (text?.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65535)
		throw new Error(`Not a port: "${text}"`);
	return { port, host: values.host };
}

async function main(): Promise<void> {
	const args = readArgs();
	if (!args) {
		process.stdout.write(USAGE);
		return;
	}
	const emulator = await startEmulator(args);
	console.log(`PrivCards sandbox emulator (offline) at ${emulator.baseUrl}`);
	console.log(`Sandbox API key: ${emulator.testKey}`);
	console.log(
		`Try: curl -H "Authorization: Bearer ${emulator.testKey}" ${emulator.baseUrl}${ROUTES.getWallet.path}`,
	);
	console.log('Ctrl-C stops it.');
	const shutDown = () => {
		emulator.stop().then(
			() => console.log('\nStopped.'),
			(error: unknown) => {
				console.error(error);
				process.exitCode = 1;
			},
		);
	};
	process.once('SIGINT', shutDown);
	process.once('SIGTERM', shutDown);
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exitCode = 1;
});
