/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console -- the sandbox CLI runs in plain Node, never inside n8n: it reads process.argv and the environment, and talks to the terminal */
/**
 * `npm run sandbox`: the emulator on a fixed port, for trying the nodes without an account.
 * Options: `--port <n>` (or PRIVCARDS_SANDBOX_PORT, default 4010), `--host <h>` (or PRIVCARDS_SANDBOX_HOST).
 */
import { ROUTES } from '../nodes/PrivCards/contract';
import { startEmulator } from './emulator';

const DEFAULT_PORT = 4010;

function option(name: string, environmentName: string): string | undefined {
	const args = process.argv.slice(2);
	const index = args.findIndex((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
	if (index === -1) return process.env[environmentName];
	const arg = args[index];
	return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[index + 1];
}

function portOption(): number {
	const text = option('port', 'PRIVCARDS_SANDBOX_PORT');
	if (text === undefined) return DEFAULT_PORT;
	const port = Number(text);
	if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Not a port: "${text}"`);
	return port;
}

async function main(): Promise<void> {
	const emulator = await startEmulator({
		port: portOption(),
		host: option('host', 'PRIVCARDS_SANDBOX_HOST'),
	});
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
