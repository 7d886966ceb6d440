/**
 * What `npm start` prints after the editor URL: how to set each example off against the demo account, with the
 * `simulate` commands for real card ids. The end-to-end test runs the printed commands as they are.
 */
import type { Card } from '../nodes/PrivCards/contract';
import { DEMO_EXAMPLE_CARDS } from '../emulator/demo-data';
import { DEFAULT_SANDBOX_URL } from '../emulator/simulate';

interface ExampleWorkflow {
	name?: unknown;
	nodes?: Array<{ type?: unknown; parameters?: Record<string, unknown> }>;
}

/** The `npm run sandbox -- simulate …` commands, with `--url` when the emulator is not on the default port. */
export function simulateCommands(baseUrl: string): {
	decline: string;
	threeDs: string;
	deposit: string;
} {
	const url = baseUrl === DEFAULT_SANDBOX_URL ? '' : ` --url ${baseUrl}`;
	const simulate = `npm run sandbox -- simulate`;
	return {
		decline: `${simulate} decline --card ${DEMO_EXAMPLE_CARDS.decline}${url}`,
		threeDs: `${simulate} 3ds --card ${DEMO_EXAMPLE_CARDS.threeDs}${url}`,
		deposit: `${simulate} deposit --amount 250${url}`,
	};
}

function nameOf(
	examples: readonly ExampleWorkflow[],
	match: (node: { type?: unknown; parameters?: Record<string, unknown> }) => boolean,
): { name: string; node?: { parameters?: Record<string, unknown> } } | undefined {
	for (const workflow of examples) {
		const node = workflow.nodes?.find(match);
		if (node !== undefined) return { name: String(workflow.name), node };
	}
	return undefined;
}

const listensTo =
	(event: string) => (node: { type?: unknown; parameters?: Record<string, unknown> }) =>
		String(node.type).endsWith('.privCardsTrigger') &&
		([] as unknown[]).concat(node.parameters?.events ?? []).includes(event);

/** The lines to print, given the imported examples and the emulator's cards. */
export function tryTheExamples(
	examples: readonly ExampleWorkflow[],
	cards: readonly Card[],
	baseUrl: string,
): string[] {
	const commands = simulateCommands(baseUrl);
	const lines = ['Try the examples (open one from the links above and click "Execute workflow"):'];
	const autoFund = nameOf(examples, (node) => node.parameters?.operation === 'topUp');
	if (autoFund !== undefined) {
		const target = Number(autoFund.node?.parameters?.targetBalance);
		const active = cards.filter((card) => card.status === 'active');
		const below = active.filter((card) => card.balance < target).length;
		lines.push(
			`  "${autoFund.name}": ${below} of the ${active.length} active cards are below ${target} USD;`,
			'      Top Up funds those and leaves the others alone.',
		);
	}
	const decline = nameOf(examples, listensTo('transaction.declined'));
	if (decline !== undefined) {
		lines.push(
			`  "${decline.name}": execute it (it waits for an event), then run`,
			`      ${commands.decline}`,
		);
	}
	const polled = nameOf(
		examples,
		(node) =>
			String(node.type).endsWith('.privCardsPollTrigger') &&
			([] as unknown[]).concat(node.parameters?.events ?? []).includes('transaction.declined'),
	);
	if (polled !== undefined) {
		lines.push(
			`  "${polled.name}" needs no public URL: run`,
			`      ${commands.decline}`,
			'      then execute it (Fetch Test Event takes the newest decline), or publish it: it checks every minute',
			'      and alerts each new decline once.',
		);
	}
	const threeDs = nameOf(examples, listensTo('3ds.challenge'));
	if (threeDs !== undefined) {
		lines.push(`  "${threeDs.name}": execute it, then run`, `      ${commands.threeDs}`);
	}
	lines.push(
		`  A deposit (deposit.pending, deposit.confirmed): ${commands.deposit}`,
		'  The Slack nodes are switched off until you choose your Slack credential and channel and activate them;',
		'      until then each run ends green at the message it would send.',
	);
	return lines;
}
