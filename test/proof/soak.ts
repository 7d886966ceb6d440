/**
 * The proof suites of test/proof at soak size: `npm run soak [-- --suite money|lifecycle|deliveries|inputs|all --count N --seed N
 * --concurrency N]`. Prints each suite's counts; a suite that finds a defect prints what differs and the command
 * that replays its seed, and the run exits 1. A suite is one entry of SUITES.
 */
import { runBadInputs } from './badInputs';
import { runHostileDeliveries } from './hostileDeliveries';
import { runMoneyUnderFaults } from './moneyUnderFaults';
import { runLifecycleUnderFaults } from './triggerLifecycle';

interface SuiteRun {
	count?: number;
	seed: number;
	concurrency?: number;
}

interface Suite {
	/** What `--count` counts, and how many by default. */
	unit: string;
	defaultCount: number;
	run(
		options: Required<Pick<SuiteRun, 'count'>> & SuiteRun,
	): Promise<{ mismatches: string[] } & object>;
}

/** A runner that only counts its failures: each non-zero failure count is a mismatch. */
function failuresOf(
	counts: Record<string, number>,
	failureKeys: string[],
): { mismatches: string[] } & object {
	const mismatches = failureKeys
		.filter((key) => counts[key] > 0)
		.map((key) => `${key}: ${counts[key]}`);
	return { ...counts, mismatches };
}

const SUITES: Record<string, Suite> = {
	money: {
		unit: 'moves',
		defaultCount: 10_000,
		run: async ({ count, seed, concurrency }) =>
			await runMoneyUnderFaults({ moves: count, seed, concurrency }),
	},
	lifecycle: {
		unit: 'cycles',
		defaultCount: 200,
		run: async ({ count, seed }) => await runLifecycleUnderFaults({ cycles: count, seed }),
	},
	deliveries: {
		unit: 'deliveries',
		defaultCount: 10_000,
		run: async ({ count, seed }) =>
			failuresOf(await runHostileDeliveries(count, seed), [
				'falseAccepts',
				'falseRejects',
				'wrongStatus',
			]),
	},
	inputs: {
		unit: 'generated values',
		defaultCount: 10_000,
		run: async ({ count, seed }) => {
			const mismatches: string[] = [];
			const counts = await runBadInputs(count, seed, (failure) => mismatches.push(failure));
			return { ...counts, mismatches };
		},
	},
};

function option(name: string): string | undefined {
	const index = process.argv.indexOf(`--${name}`);
	return index === -1 ? undefined : process.argv[index + 1];
}

function whole(name: string): number | undefined {
	const text = option(name);
	if (text === undefined) return undefined;
	const value = Number(text);
	if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number`);
	return value;
}

async function main(): Promise<number> {
	const chosen = option('suite') ?? 'all';
	const names = chosen === 'all' ? Object.keys(SUITES) : [chosen];
	if (names.some((name) => SUITES[name] === undefined)) {
		throw new Error(`--suite must be one of ${[...Object.keys(SUITES), 'all'].join(', ')}`);
	}
	const seed = whole('seed') ?? Math.floor(Math.random() * 2 ** 31);
	const concurrency = whole('concurrency');
	let failed = false;
	for (const name of names) {
		const suite = SUITES[name];
		const count = whole('count') ?? suite.defaultCount;
		const started = Date.now();
		const { mismatches, ...counts } = await suite.run({ count, seed, concurrency });
		const seconds = ((Date.now() - started) / 1000).toFixed(1);
		console.log(`${name}: ${count} ${suite.unit}, seed ${seed}, ${seconds} s`);
		for (const [key, value] of Object.entries(counts))
			console.log(`  ${key}: ${JSON.stringify(value)}`);
		console.log(`  mismatches: ${mismatches.length}`);
		if (mismatches.length > 0) {
			failed = true;
			for (const mismatch of mismatches.slice(0, 20)) console.log(`    ${mismatch}`);
			const flags = concurrency === undefined ? '' : ` --concurrency ${concurrency}`;
			console.log(
				`  FAILED: replay with npm run soak -- --suite ${name} --count ${count} --seed ${seed}${flags}`,
			);
		}
	}
	return failed ? 1 : 0;
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		console.error(error instanceof Error ? error.message : error);
		process.exit(2);
	},
);
