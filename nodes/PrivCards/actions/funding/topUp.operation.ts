import { AMOUNT_LIMITS } from '../../contract';
import type { Card, CardAndWallet, Wallet } from '../../contract';
import { apiRequest } from '../../transport';
import { cardIdField, idempotencyOptions, noticeFields } from '../common/fields';
import { fromCents, readCardId, readMoney, toCents } from '../common/input';
import { defineOperation } from '../operation';

interface Input {
	cardId: string;
	targetBalance: number;
}

/**
 * The same keys on every path. `wallet` is null when nothing was funded (no request returned it). The snake_case keys
 * match the API's; `amountFunded` and `targetBalance` are the same values under the names of version 0.1.
 */
export interface TopUpResult {
	card: Card;
	wallet: Wallet | null;
	/** What this run moved onto the card, in USD. */
	amount_funded: number;
	target_balance: number;
	amountFunded: number;
	targetBalance: number;
	/** `funded`; `none` when the card was already at or above the target; `belowMinimum` when the gap is under 1.00. */
	action: 'funded' | 'none' | 'belowMinimum';
}

function topUpResult(
	card: Card,
	wallet: Wallet | null,
	amountFunded: number,
	targetBalance: number,
	action: TopUpResult['action'],
): TopUpResult {
	return {
		card,
		wallet,
		amount_funded: amountFunded,
		target_balance: targetBalance,
		amountFunded,
		targetBalance,
		action,
	};
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
	description: 'Fund a card up to a target balance; safe to run on a schedule',
	movesMoney: true,
	properties: [
		...noticeFields(
			"Top Up reads the card's balance and funds only the gap to the target: a card already there gets no funding request, so running it again moves no extra money.",
		),
		cardIdField(),
		{
			displayName: 'Target Balance (USD)',
			name: 'targetBalance',
			type: 'number',
			required: true,
			// AMOUNT_LIMITS.min, the smallest valid target: it funds only a card below 1.00 until the user sets one.
			default: 1,
			typeOptions: { minValue: AMOUNT_LIMITS.min, numberPrecision: 2 },
			description: 'The balance the card should have afterwards. Gaps over 5,000.00 USD are funded in several steps.',
		},
		idempotencyOptions,
	],
	cardOf: ({ cardId }) => cardId,
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
		if (gapCents <= 0) return topUpResult(card, null, 0, targetBalance, 'none');
		if (gapCents < MIN_CENTS) return topUpResult(card, null, 0, targetBalance, 'belowMinimum');

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
		return topUpResult(result?.card ?? card, result?.wallet ?? null, fromCents(fundedCents), targetBalance, 'funded');
	},
});
