/** P2: bulk funding through the node, against the floor the published limits set. */

import { RATE_LIMITS, ROUTES } from '../nodes/PrivCards/contract';
import { BareClient, createCards } from './client';
import {
	byId,
	floorMs,
	goal,
	runMeasured,
	seconds,
	SETUP_KEY,
	times,
	withEmulator,
} from './measure';

const FUND_LATENCY_MS = 40;

export async function p2BulkFunding(funds: number): Promise<void> {
	const cardCount = Math.min(200, funds);
	await withEmulator({ walletBalance: 10_000_000 }, async (emulator) => {
		const setup = new BareClient(emulator, SETUP_KEY);
		const cards = await createCards(setup, cardCount, 1);
		setup.close();
		emulator.setLatency([{ method: 'POST', path: ROUTES.fundCard.path, ms: FUND_LATENCY_MS }]);
		const input = Array.from({ length: funds }, (_, index) => ({
			id: cards[index % cardCount].id,
		}));
		const balances = () => new Map(emulator.state.cards().map((card) => [card.id, card.balance]));
		const fundsPerCard = (id: string) => input.filter((item) => item.id === id).length;
		const before = { cards: balances(), wallet: emulator.state.wallet().balance };
		const run = await runMeasured(
			emulator,
			{ resource: 'funding', operation: 'fund', cardId: byId, amount: 1 },
			input,
		);
		const exact =
			cards.every(
				(card) =>
					balances().get(card.id) === (before.cards.get(card.id) ?? 0) + fundsPerCard(card.id),
			) && emulator.state.wallet().balance === before.wallet - funds;
		const floor = floorMs(funds, [RATE_LIMITS.minute, RATE_LIMITS.hour], FUND_LATENCY_MS);
		console.log(
			`P2 bulk funding: ${funds} funds over ${cardCount} cards, ${FUND_LATENCY_MS} ms a fund, the published limits on (${RATE_LIMITS.minute.max} requests a minute)`,
		);
		console.log(
			`  PrivCards node ${seconds(run.ms)}; floor ${seconds(floor)} (the ${RATE_LIMITS.minute.max + 1}st request fits a minute after the first): node ${times(run.ms / floor)} the floor`,
		);
		console.log(
			`  node errors ${run.errors}, 429s answered ${run.refused}, balances ${exact ? 'exact' : 'WRONG'}`,
		);
		goal('≤ 1.1× the floor', run.ms / floor <= 1.1);
		goal(
			'0 errors, 0 answered 429, balances exact',
			run.errors === 0 && run.refused === 0 && exact,
		);
	});
}
