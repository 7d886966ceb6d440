/**
 * `npm run sandbox [-- <command>]`, one function a command:
 * - `serve` (the default): the emulator on a fixed port, for trying the nodes without an account. Options:
 *   `--port <n>` (or PRIVCARDS_SANDBOX_PORT, default 4010), `--host <h>` (or PRIVCARDS_SANDBOX_HOST), `--empty`
 *   (a bare account instead of the demo one), `--latency <ms>` and `--jitter <ms>` (every request waits that long,
 *   plus up to the jitter at random, before the emulator answers it), `--rate-limit-scale <factor>` (every published
 *   rate limit times the factor, windows as long as published, for quick trials of what happens at the limits).
 * - `simulate decline|3ds|deposit`: sets the examples off on a running emulator (see `simulate --help`).
 */
import { parseArgs } from 'node:util';

import { ROUTES } from '../nodes/PrivCards/contract';
import { SANDBOX_TEST_KEY, scaledRateLimits, startEmulator, type LatencyRule } from './emulator';
import {
	DEFAULT_SANDBOX_PORT,
	DEFAULT_SANDBOX_URL,
	SimulationError,
	simulate3ds,
	simulateDecline,
	simulateDeposit,
	type Simulation,
} from './simulate';

const { values, positionals } = parseArgs({
	options: {
		port: { type: 'string' },
		host: { type: 'string' },
		empty: { type: 'boolean', default: false },
		latency: { type: 'string' },
		jitter: { type: 'string' },
		'rate-limit-scale': { type: 'string' },
		card: { type: 'string' },
		amount: { type: 'string' },
		merchant: { type: 'string' },
		currency: { type: 'string' },
		pending: { type: 'boolean', default: false },
		url: { type: 'string' },
		key: { type: 'string' },
		help: { type: 'boolean', short: 'h', default: false },
	},
	strict: true,
	allowPositionals: true,
});

type StringOption =
	| 'port'
	| 'host'
	| 'latency'
	| 'jitter'
	| 'rate-limit-scale'
	| 'card'
	| 'amount'
	| 'merchant'
	| 'currency'
	| 'url'
	| 'key';

function option(name: StringOption, environmentName?: string): string | undefined {
	return values[name] ?? (environmentName === undefined ? undefined : process.env[environmentName]);
}

function flag(name: 'empty' | 'pending' | 'help'): boolean {
	return values[name] === true;
}

const SERVE_HELP = `npm run sandbox [-- [serve] [--port N] [--host H] [--empty] [--latency MS] [--jitter MS] [--rate-limit-scale F]]
  --port N    port to listen on (default $PRIVCARDS_SANDBOX_PORT, else ${DEFAULT_SANDBOX_PORT}; 0 = any free port)
  --host H    address to listen on (default $PRIVCARDS_SANDBOX_HOST, else the emulator's default)
  --empty     a bare account instead of the demo one
  --latency MS  every request waits MS milliseconds before it is answered, as over a real network (default 0)
  --jitter MS   and up to MS milliseconds more, at random (default 0)
  --rate-limit-scale F  every published rate limit times F, windows as long as published (default 1): 0.01 allows
              10 requests a minute, 100 an hour, 1 card create and 1 Get Details a minute
  -h, --help  this text
npm run sandbox -- simulate --help   sets the examples off on a running emulator`;

function portOption(): number {
	const text = option('port', 'PRIVCARDS_SANDBOX_PORT');
	if (text === undefined) return DEFAULT_SANDBOX_PORT;
	const port = Number(text);
	if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Not a port: "${text}"`);
	return port;
}

function millisecondsOption(name: 'latency' | 'jitter'): number {
	const text = option(name) ?? '0';
	const ms = Number(text);
	if (!Number.isFinite(ms) || ms < 0)
		throw new Error(`--${name}: not a number of milliseconds: "${text}"`);
	return ms;
}

function rateLimitScale(): number {
	const text = option('rate-limit-scale') ?? '1';
	const factor = Number(text);
	if (!Number.isFinite(factor) || factor <= 0)
		throw new Error(`--rate-limit-scale: not a positive factor: "${text}"`);
	return factor;
}

function latencyRules(): LatencyRule[] {
	const ms = millisecondsOption('latency');
	const jitterMs = millisecondsOption('jitter');
	return ms === 0 && jitterMs === 0 ? [] : [{ ms, jitterMs }];
}

async function serve(): Promise<void> {
	const latency = latencyRules();
	const scale = rateLimitScale();
	const emulator = await startEmulator({
		latency,
		rateLimits: scaledRateLimits({ count: scale }),
		port: portOption(),
		host: option('host', 'PRIVCARDS_SANDBOX_HOST'),
		empty: flag('empty'),
	});
	console.log(`PrivCards sandbox emulator (offline) at ${emulator.baseUrl}`);
	console.log(
		flag('empty')
			? 'A bare account: no cards, transactions or deposits.'
			: 'The demo account: 10 cards, 4 months of transactions, a pending 3DS challenge (--empty for a bare one).',
	);
	for (const { ms, jitterMs } of latency)
		console.log(`Latency: ${ms} ms plus up to ${jitterMs} ms a request.`);
	if (scale !== 1) {
		const { minute, hour, cardCreates, cardDetails } = scaledRateLimits({ count: scale });
		console.log(
			`Rate limits × ${scale}: ${minute?.max} requests a minute, ${hour?.max} an hour; card creates ${cardCreates?.max} and Get Details ${cardDetails?.max} a minute.`,
		);
	}
	console.log(`Sandbox API key: ${emulator.testKey}`);
	console.log(
		`Try: curl -H "Authorization: Bearer ${emulator.testKey}" ${emulator.baseUrl}${ROUTES.getWallet.path}`,
	);
	console.log('Simulate events: npm run sandbox -- simulate --help');
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

const SIMULATE_HELP = `npm run sandbox -- simulate <what> [options]
  decline --card <id> [--amount <usd>] [--merchant <name>]   a payment the card refuses: transaction.declined
  3ds --card <id> [--amount <usd>] [--merchant <name>]       a payment asking for 3DS: 3ds.challenge with a code
  deposit --amount <usd> [--currency btc|eth|sol|usdt] [--pending]
                                                             a crypto deposit: deposit.pending, deposit.confirmed
Every simulation calls a running emulator (npm run sandbox, or the one npm start runs):
  --url <base URL>   default ${DEFAULT_SANDBOX_URL} (or PRIVCARDS_SANDBOX_URL)
  --key <sk_test_…>  default the emulator's sandbox key (or PRIVCARDS_SANDBOX_KEY)`;

function required(name: 'card' | 'amount'): string {
	const value = option(name);
	if (value === undefined || value === '')
		throw new SimulationError(`--${name} is required (see --help)`);
	return value;
}

function amountOption(): number | undefined {
	const text = option('amount');
	if (text === undefined) return undefined;
	const amount = Number(text);
	if (!Number.isFinite(amount) || amount <= 0)
		throw new SimulationError(`--amount: not an amount in USD: "${text}"`);
	return amount;
}

async function simulate(what: string | undefined): Promise<void> {
	if (what === undefined || flag('help')) {
		console.log(SIMULATE_HELP);
		return;
	}
	const target = {
		baseUrl: (option('url', 'PRIVCARDS_SANDBOX_URL') ?? DEFAULT_SANDBOX_URL).replace(/\/+$/, ''),
		testKey: option('key', 'PRIVCARDS_SANDBOX_KEY') ?? SANDBOX_TEST_KEY,
	};
	const payment = () => ({
		cardId: required('card'),
		amount: amountOption(),
		merchant: option('merchant'),
	});
	let run: () => Promise<Simulation>;
	if (what === 'decline') run = async () => await simulateDecline(target, payment());
	else if (what === '3ds') run = async () => await simulate3ds(target, payment());
	else if (what === 'deposit') {
		run = async () =>
			await simulateDeposit(target, {
				amount: amountOption() ?? Number(required('amount')),
				currency: option('currency') as 'btc' | 'eth' | 'sol' | 'usdt' | undefined,
				pending: flag('pending'),
			});
	} else throw new SimulationError(`Unknown simulation "${what}"\n${SIMULATE_HELP}`);
	try {
		for (const line of (await run()).lines) console.log(line);
	} catch (error) {
		const code = (error as { cause?: { code?: string } }).cause?.code;
		if (code === 'ECONNREFUSED') {
			throw new SimulationError(
				`No emulator answers at ${target.baseUrl}: start one with \`npm run sandbox\` or \`npm start\`, or pass --url.`,
			);
		}
		throw error;
	}
}

async function main(): Promise<void> {
	const [command, subcommand] = positionals;
	if (command === 'simulate') await simulate(subcommand);
	else if (command !== undefined && command !== 'serve')
		throw new Error(`Unknown command "${command}": try serve or simulate`);
	else if (flag('help')) console.log(SERVE_HELP);
	else await serve();
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exitCode = 1;
});
