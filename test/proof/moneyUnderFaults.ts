/**
 * R1, exactly-once money under faults: random mixes of card create, fund, withdraw, Top Up and terminate items run
 * through the PrivCards node in n8n-core's engine (Continue On Fail on, the node's default concurrency) against the
 * emulator with a seeded share of requests faulted. Every node run is then run again with the same execution
 * identity (what n8n's Retry On Fail does), still under faults, until no item fails for a fault. A model of the
 * account predicts what each item does; afterwards every card and the wallet must hold exactly one effect per item
 * that succeeded, and every other item must carry an error naming its item.
 *
 * The moves are spread over independent lanes, each with cards of its own, so that node runs overlap as workflows
 * do without making the model depend on their order. Within a node run, items touch distinct cards.
 */
import { toCents } from '../../nodes/PrivCards/contract';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { rateLimiterFor } from '../../nodes/PrivCards/transport/rateLimit';
import { NO_RATE_LIMITS, startEmulator } from '../../emulator/emulator';
import type { Emulator } from '../../emulator/emulator';
import { RANDOM_FAULT_KINDS } from '../../emulator/faults';
import type { FaultCounts } from '../../emulator/faults';
import { runNode } from '../../harness/n8n';
import { dice } from '../../emulator/dice';

export interface MoneyRunOptions {
	moves: number;
	seed: number;
	/** The node's Options → Concurrency; left unset (the node's default) unless given. */
	concurrency?: number;
	/** Share of requests faulted (default 0.2). */
	faultRate?: number;
}

export interface MoneyCounts {
	seed: number;
	moves: number;
	nodeRuns: number;
	/** Node runs again with the same execution identity, after the first. */
	reruns: number;
	requests: number;
	/** Requests the emulator answered from an earlier one's kept answer (same idempotency key): no second effect. */
	replays: number;
	faults: FaultCounts;
	/** Items that succeeded, as the model predicted. */
	succeeded: number;
	/** Items the API refused as the model predicted (too little on the card, a terminated card). */
	refused: number;
	/** Items that failed for a fault in one run (every retry faulted) and succeeded when run again. */
	failedThenRecovered: number;
	/** Cards or wallets whose money is not one effect per succeeded item (a second effect, or one missing). */
	duplicates: number;
	/** Everything that differs from the model, item by item: empty when the run proves exactly-once. */
	mismatches: string[];
}

type Operation = 'create' | 'fund' | 'withdraw' | 'topUp' | 'terminate';

interface ModelCard {
	id: string;
	/** In cents. */
	balance: number;
	terminated: boolean;
}

interface Move {
	input: IDataObject;
	card?: ModelCard;
	/** Cents: the amount, or for Top Up the target. */
	cents: number;
}

const MIN_CENTS = 100;
const LANES = 8;
const MAX_BATCH = 8;
/** Runs again with the same identity, at most, before an item still failing for faults counts as a mismatch. */
const MAX_RERUNS = 6;
const OPENING_WALLET_CENTS = 1_000_000_000;
/** Long enough that a loaded machine never times out a normal answer; `slow` faults answer after SLOW_MS. */
const TEST_TIMEOUT_MS = 500;
const SLOW_MS = 800;

const PARAMETERS: Record<Operation, IDataObject> = {
	create: { resource: 'card', operation: 'create', binId: '491653', amount: '={{ $json.amount }}' },
	fund: {
		resource: 'funding',
		operation: 'fund',
		cardId: cardFromItem(),
		amount: '={{ $json.amount }}',
	},
	withdraw: {
		resource: 'funding',
		operation: 'withdraw',
		cardId: cardFromItem(),
		amount: '={{ $json.amount }}',
	},
	topUp: {
		resource: 'funding',
		operation: 'topUp',
		cardId: cardFromItem(),
		targetBalance: '={{ $json.targetBalance }}',
	},
	terminate: { resource: 'card', operation: 'terminate', cardId: cardFromItem() },
};

function cardFromItem(): IDataObject {
	return { __rl: true, mode: 'id', value: '={{ $json.cardId }}' };
}

const usd = (cents: number) => cents / 100;

class Lane {
	readonly cards: ModelCard[] = [];
	/** What this lane's succeeded items moved out of the wallet, in cents. */
	walletOut = 0;

	constructor(
		readonly index: number,
		readonly random: () => number,
	) {}

	private between(low: number, high: number): number {
		return low + Math.floor(this.random() * (high - low + 1));
	}

	pickOperation(): Operation {
		if (this.cards.filter((card) => !card.terminated).length < 2) return 'create';
		const roll = this.random();
		if (roll < 0.15) return 'create';
		if (roll < 0.45) return 'fund';
		if (roll < 0.7) return 'withdraw';
		if (roll < 0.92) return 'topUp';
		return 'terminate';
	}

	/** Up to `count` moves of one operation, each on a card of its own. */
	moves(operation: Operation, count: number): Move[] {
		if (operation === 'create') {
			return Array.from({ length: count }, () => {
				const amount = this.between(MIN_CENTS, 50_000);
				return { input: { amount: usd(amount) }, cents: amount };
			});
		}
		const shuffled = [...this.cards].sort(() => this.random() - 0.5).slice(0, count);
		return shuffled.map((card) => {
			const amount =
				operation === 'withdraw'
					? this.between(MIN_CENTS, Math.max(MIN_CENTS, Math.round(card.balance * 1.3)))
					: this.between(MIN_CENTS, operation === 'topUp' ? 100_000 : 50_000);
			const input: IDataObject = { cardId: card.id };
			if (operation === 'topUp') input.targetBalance = usd(amount);
			else if (operation !== 'terminate') input.amount = usd(amount);
			return { input, card, cents: amount };
		});
	}
}

/** Whether the API lets the move succeed on the card as the model holds it before the node run. */
function succeeds(operation: Operation, move: Move): boolean {
	const card = move.card;
	if (card === undefined) return true;
	if (operation === 'withdraw') return !card.terminated && move.cents <= card.balance;
	if (operation === 'topUp') return !card.terminated || move.cents - card.balance < MIN_CENTS;
	return !card.terminated;
}

/** Applies a succeeded move to the model. */
function apply(lane: Lane, operation: Operation, move: Move, output: IDataObject): void {
	const card = move.card;
	if (operation === 'create') {
		lane.cards.push({ id: String(output.id), balance: move.cents, terminated: false });
		lane.walletOut += move.cents;
		return;
	}
	if (card === undefined) throw new Error(`${operation} without a card`);
	let moved = 0;
	if (operation === 'fund') moved = move.cents;
	if (operation === 'withdraw') moved = -move.cents;
	if (operation === 'topUp' && move.cents - card.balance >= MIN_CENTS)
		moved = move.cents - card.balance;
	if (operation === 'terminate') {
		moved = -card.balance;
		card.terminated = true;
	}
	card.balance += moved;
	lane.walletOut += moved;
}

interface ItemOutcome {
	error?: string;
	json: IDataObject;
}

function outcomes(
	items: INodeExecutionData[],
	count: number,
	problems: string[],
	where: string,
): ItemOutcome[] {
	const byItem: ItemOutcome[] = [];
	for (const item of items) {
		const paired = item.pairedItem;
		const index = typeof paired === 'object' && !Array.isArray(paired) ? paired.item : undefined;
		if (index === undefined || index < 0 || index >= count || byItem[index] !== undefined) {
			problems.push(
				`${where}: an output item without its own input item (${JSON.stringify(paired)})`,
			);
			continue;
		}
		const error = item.json.error;
		if (error !== undefined && (typeof error !== 'string' || error.trim() === '')) {
			problems.push(`${where}, item ${index}: an error item without a message`);
		}
		byItem[index] = { error: typeof error === 'string' ? error : undefined, json: item.json };
	}
	for (let index = 0; index < count; index++) {
		if (byItem[index] === undefined) problems.push(`${where}, item ${index}: no output item`);
	}
	return byItem;
}

/** Compares the emulator's cards of this lane with the model: the number of cards whose money is off since the last audit. */
function auditLane(emulator: Emulator, lane: Lane, problems: string[]): number {
	const actual = new Map(emulator.state.cards().map((card) => [card.id, card]));
	let off = 0;
	for (const card of lane.cards) {
		const held = actual.get(card.id);
		if (
			held === undefined ||
			toCents(held.balance) !== card.balance ||
			(held.status === 'terminated') !== card.terminated
		) {
			off += 1;
			problems.push(
				`lane ${lane.index}: card ${card.id} holds ${held?.balance} (${held?.status}); one effect per succeeded item makes ${usd(card.balance)}${card.terminated ? ' (terminated)' : ''}`,
			);
			// From here on the model follows the card as it is, so that a later round counts only its own effects.
			lane.walletOut += toCents(held?.balance ?? 0) - card.balance;
			card.balance = toCents(held?.balance ?? 0);
			card.terminated = held?.status === 'terminated';
		}
	}
	return off;
}

export async function runMoneyUnderFaults(options: MoneyRunOptions): Promise<MoneyCounts> {
	// The emulator enforces no rate limit here, and the node's budget, its windows at a millionth of their length, holds
	// nothing back: the soak sends tens of thousands of requests, more than the published hour allows.
	const emulator = await startEmulator({
		walletBalance: usd(OPENING_WALLET_CENTS),
		// The faults are what this run is about, not the emulator's own rate limit.
		rateLimits: NO_RATE_LIMITS,
	});
	const counts: MoneyCounts = {
		seed: options.seed,
		moves: 0,
		nodeRuns: 0,
		reruns: 0,
		requests: 0,
		replays: 0,
		faults: { ...emulator.faults.counts },
		succeeded: 0,
		refused: 0,
		failedThenRecovered: 0,
		duplicates: 0,
		mismatches: [],
	};
	const credential = { apiKey: emulator.testKey, baseUrl: emulator.baseUrl };
	rateLimiterFor(credential.baseUrl, credential.apiKey, {
		windowScale: 1e-6,
		requestTimeoutMs: TEST_TIMEOUT_MS,
	});
	emulator.faults.randomize({
		seed: options.seed,
		rate: options.faultRate ?? 0.2,
		kinds: RANDOM_FAULT_KINDS,
		slowMs: SLOW_MS,
	});
	// Each lane draws from a generator of its own and has its share of the moves: the same seed plans the same
	// moves however the lanes interleave.
	const lanes = Array.from(
		{ length: LANES },
		(_, index) => new Lane(index, dice(options.seed * LANES + index)),
	);

	async function runLane(lane: Lane): Promise<void> {
		let left = Math.floor(options.moves / LANES) + (lane.index < options.moves % LANES ? 1 : 0);
		for (let round = 0; left > 0; round++) {
			const operation = lane.pickOperation();
			const moves = lane.moves(
				operation,
				Math.min(1 + Math.floor(lane.random() * MAX_BATCH), left),
			);
			left -= moves.length;
			await runRound(lane, round, operation, moves);
		}
	}

	async function runRound(
		lane: Lane,
		round: number,
		operation: Operation,
		moves: Move[],
	): Promise<void> {
		const where = `seed ${options.seed}, lane ${lane.index}, round ${round} (${operation})`;
		const expected = moves.map((move) => succeeds(operation, move));
		const parameters = {
			...PARAMETERS[operation],
			...(options.concurrency === undefined
				? {}
				: { options: { concurrency: options.concurrency } }),
		};
		const executionId = `money-${options.seed}-${lane.index}-${round}`;
		let failedForFaults = new Set<number>();
		let final: ItemOutcome[] = [];
		for (let run = 0; run <= MAX_RERUNS; run++) {
			const result = await runNode(
				{ parameters, continueOnFail: true },
				{
					credential,
					input: moves.map((move) => move.input),
					executionId,
					workflowId: `money-${options.seed}`,
				},
			);
			counts.nodeRuns += 1;
			if (run > 0) counts.reruns += 1;
			if (result.error !== undefined) {
				counts.mismatches.push(
					`${where}: the node stopped despite Continue On Fail: ${result.error.message}`,
				);
				return;
			}
			final = outcomes(result.items, moves.length, counts.mismatches, `${where}, run ${run}`);
			const stillFailing = new Set(
				expected.flatMap((success, index) =>
					success && final[index]?.error !== undefined ? [index] : [],
				),
			);
			if (run === 0) failedForFaults = stillFailing;
			// Always once more with the same identity: the replay must add no second effect.
			if (run > 0 && stillFailing.size === 0) break;
		}
		for (const [index, move] of moves.entries()) {
			const outcome = final[index];
			if (outcome === undefined) continue;
			if (expected[index] && outcome.error !== undefined) {
				counts.mismatches.push(
					`${where}, item ${index}: still failing after ${MAX_RERUNS} reruns: ${outcome.error}`,
				);
			} else if (!expected[index] && outcome.error === undefined) {
				counts.mismatches.push(
					`${where}, item ${index}: succeeded where the API must refuse it: ${JSON.stringify(move.input)}`,
				);
			} else if (expected[index]) {
				apply(lane, operation, move, outcome.json);
				counts.succeeded += 1;
				if (failedForFaults.has(index)) counts.failedThenRecovered += 1;
			} else {
				counts.refused += 1;
			}
		}
		counts.moves += moves.length;
		counts.duplicates += auditLane(emulator, lane, counts.mismatches);
	}

	try {
		await Promise.all(lanes.map(runLane));
		const cardsHeld = emulator.state.cards().length;
		const cardsMade = lanes.reduce((sum, lane) => sum + lane.cards.length, 0);
		if (cardsHeld !== cardsMade) {
			counts.duplicates += Math.abs(cardsHeld - cardsMade);
			counts.mismatches.push(
				`the emulator holds ${cardsHeld} cards; the succeeded creates made ${cardsMade}`,
			);
		}
		const walletExpected =
			OPENING_WALLET_CENTS - lanes.reduce((sum, lane) => sum + lane.walletOut, 0);
		const walletHeld = toCents(emulator.state.wallet().balance);
		if (walletHeld !== walletExpected) {
			counts.duplicates += 1;
			counts.mismatches.push(
				`the wallet holds ${usd(walletHeld)}; one effect per succeeded item makes ${usd(walletExpected)}`,
			);
		}
		counts.requests = emulator.requests.length;
		counts.replays = emulator.requests.filter((request) => request.replayed).length;
		counts.faults = { ...emulator.faults.counts };
		return counts;
	} finally {
		await emulator.stop();
	}
}
