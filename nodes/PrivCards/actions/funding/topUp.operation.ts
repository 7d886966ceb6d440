import { AMOUNT_LIMITS } from '../../contract';
import type { Card, CardAndWallet, Wallet } from '../../contract';
import { apiRequest } from '../../transport';
import { cardIdField, idempotencyOptions } from '../common/fields';
import { fromCents, readCardId, readMoney, toCents } from '../common/input';
import { defineOperation } from '../operation';

interface Input {
	cardId: string;
	targetBalance: number;
}

export interface TopUpResult {
	card: Card;
	wallet?: Wallet;
	/** What this run moved onto the card, in USD. */
	amountFunded: number;
	targetBalance: number;
	/** `funded`; `none` when the card was already at or above the target; `belowMinimum` when the gap is under 1.00. */
	action: 'funded' | 'none' | 'belowMinimum';
}

const MIN_CENTS = toCents(AMOUNT_LIMITS.min);
const MAX_CENTS = toCents(AMOUNT_LIMITS.max);

/** The gap cut into fundable amounts: at most 5,000.00 each, and none below 1.00. */
export function topUpSteps(gapCents: number): number[] {
	const steps: number[] = [];
	for (let left = gapCents; left > 0; left -= steps[steps.length - 1]) {
		steps.push(left > MAX_CENTS && left - MAX_CENTS < MIN_CENTS ? left - MIN_CENTS : Math.min(left, MAX_CENTS));
	}
	return steps;
}

export const topUp = defineOperation<Input>({
	value: 'topUp',
	name: 'Top Up',
	action: 'Top up a card to a target balance',
	description:
		'Fund a card just enough to bring its balance up to a target. Sends no funding request when the card is already there, so it is safe to run on a schedule.',
	movesMoney: true,
	properties: [
		cardIdField(),
		{
			displayName: 'Target Balance (USD)',
			name: 'targetBalance',
			type: 'number',
			required: true,
			default: 0,
			typeOptions: { minValue: AMOUNT_LIMITS.min, numberPrecision: 2 },
			description: 'The balance the card should have afterwards. Gaps over 5,000.00 are funded in several steps.',
		},
		idempotencyOptions,
	],
	readInput(itemIndex) {
		return {
			cardId: readCardId(this, itemIndex),
			targetBalance: readMoney(this, itemIndex, 'targetBalance', 'Target Balance', { min: AMOUNT_LIMITS.min }),
		};
	},
	async execute({ cardId, targetBalance }, item): Promise<TopUpResult> {
		const card = await apiRequest<Card>(this, {
			route: 'getCard',
			pathParameters: { cardId },
			itemIndex: item.itemIndex,
		});
		const startCents = toCents(card.balance);
		const gapCents = toCents(targetBalance) - startCents;
		if (gapCents <= 0) return { card, amountFunded: 0, targetBalance, action: 'none' };
		if (gapCents < MIN_CENTS) return { card, amountFunded: 0, targetBalance, action: 'belowMinimum' };

		let result: CardAndWallet | undefined;
		let fundedCents = 0;
		for (const [step, stepCents] of topUpSteps(gapCents).entries()) {
			result = await apiRequest<CardAndWallet>(this, {
				route: 'fundCard',
				pathParameters: { cardId },
				body: { amount: fromCents(stepCents) },
				// The balance it started from is in the derived key: a re-run that sees the new balance sends fresh
				// keys for the smaller gap instead of reusing keys with other amounts.
				idempotencyKey: item.idempotencyKey({ step, salt: `${startCents}->${toCents(targetBalance)}` }),
				itemIndex: item.itemIndex,
			});
			fundedCents += stepCents;
		}
		return {
			card: result?.card ?? card,
			wallet: result?.wallet,
			amountFunded: fromCents(fundedCents),
			targetBalance,
			action: 'funded',
		};
	},
});
