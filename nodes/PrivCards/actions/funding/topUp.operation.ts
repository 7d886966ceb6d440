import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';

import { AMOUNT_LIMITS, CARD_DEBIT_TRANSACTION_TYPE, fromCents, toCents } from '../../contract';
import type { Card, ListPage, Transaction } from '../../contract';
import { formatUsd } from '../../display';
import { apiRequest, gapKey } from '../../transport';
import type { GapState } from '../../transport';
import { cardIdField, noticeFields, optionsCollection } from '../common/fields';
import { readCardId, readMoney } from '../common/input';
import { defineOperation } from '../operation';
import { maxAmountOption, moveMoney, readMaxAmount } from './moneyMovement';

interface Input {
	cardId: string;
	targetBalance: number;
	maxAmount: number | undefined;
}

/** The same keys on every path, in the API's snake_case; the card as it stands after the run. */
export interface TopUpResult {
	card: Card;
	/** What this run moved onto the card, in USD. */
	amount_funded: number;
	target_balance: number;
	/**
	 * `funded` when this run moved money; otherwise `none` when the card is at or above the target, `belowMinimum`
	 * when the gap is under 1.00.
	 */
	action: 'funded' | 'none' | 'belowMinimum';
	/**
	 * True when a funding request of this run was answered from the API's store: another run (or an earlier attempt)
	 * had already funded that gap, and what it moved is not in `amount_funded`.
	 */
	replayed: boolean;
}

function topUpResult(
	card: Card,
	fundedCents: number,
	targetBalance: number,
	replayed: boolean,
): TopUpResult {
	const amountFunded = fromCents(fundedCents);
	const gapCents = toCents(targetBalance) - toCents(card.balance);
	const action = fundedCents > 0 ? 'funded' : gapCents <= 0 ? 'none' : 'belowMinimum';
	return { card, amount_funded: amountFunded, target_balance: targetBalance, action, replayed };
}

const MIN_CENTS = toCents(AMOUNT_LIMITS.min);
const MAX_CENTS = toCents(AMOUNT_LIMITS.max);

/** The gap cut into fundable amounts: at most 5,000.00 each, and none below 1.00. */
export function topUpSteps(gapCents: number): number[] {
	const steps: number[] = [];
	for (let left = gapCents; left > 0; left -= steps[steps.length - 1]) {
		steps.push(
			left > MAX_CENTS && left - MAX_CENTS < MIN_CENTS
				? left - MIN_CENTS
				: Math.min(left, MAX_CENTS),
		);
	}
	return steps;
}

/**
 * Answers from the API's store in a row (each followed by a fresh read of the card) after which a Top Up gives up:
 * far more than overlapping runs of one gap need, so only a card whose state keeps repeating meets it.
 */
const MAX_REPLAYED_IN_A_ROW = 50;

async function readCard(
	context: IExecuteFunctions,
	cardId: string,
	itemIndex: number,
): Promise<Card> {
	return await apiRequest<Card>(context, {
		route: 'getCard',
		pathParameters: { cardId },
		itemIndex,
	});
}

/** The id of the card's latest payment, the record that last took money off it; null when it has none. */
async function readLatestDebit(
	context: IExecuteFunctions,
	cardId: string,
	itemIndex: number,
): Promise<string | null> {
	const page = await apiRequest<ListPage<Transaction>>(context, {
		route: 'listTransactions',
		query: { card_id: cardId, type: CARD_DEBIT_TRANSACTION_TYPE, per_page: 1 },
		itemIndex,
	});
	return page.data[0]?.id ?? null;
}

export const topUp = defineOperation<Input>({
	value: 'topUp',
	name: 'Top Up',
	action: 'Top up a card to a target balance',
	description: 'Fund a card up to a target balance; safe to run on a schedule',
	movesMoney: true,
	properties: [
		...noticeFields(
			'Funds only the gap to the target, keyed by the gap so that overlapping runs fund it once; a card already there gets no funding request.',
		),
		cardIdField(),
		{
			displayName: 'Target Balance (USD)',
			name: 'targetBalance',
			type: 'number',
			required: true,
			// 0 until the user sets one, as n8n does for a required figure: refused before any request.
			default: 0,
			typeOptions: { minValue: 0, numberPrecision: 2 },
			description: `The balance the card should have afterwards (gaps over ${formatUsd(AMOUNT_LIMITS.max)} move in steps)`,
		},
		optionsCollection([maxAmountOption]),
	],
	cardOf: ({ cardId }) => cardId,
	readInput(itemIndex) {
		return {
			cardId: readCardId(this, itemIndex),
			targetBalance: readMoney(this, itemIndex, 'targetBalance', 'Target Balance', {
				min: AMOUNT_LIMITS.min,
			}),
			maxAmount: readMaxAmount(this, itemIndex),
		};
	},
	/**
	 * One funding request per read of the card, keyed by the gap as read (`gapKey`). An answer from the API's store
	 * means another run (or an earlier attempt) funded that gap: the card is read again, and a gap still there is a
	 * new one, funded under the next key.
	 */
	async execute({ cardId, targetBalance, maxAmount }, { itemIndex }): Promise<TopUpResult> {
		const targetCents = toCents(targetBalance);
		let card = await readCard(this, cardId, itemIndex);
		let fundedCents = 0;
		let replayed = false;
		let replayedInARow = 0;
		let state: GapState | undefined;
		for (;;) {
			const gapCents = targetCents - toCents(card.balance);
			if (gapCents < MIN_CENTS) break;
			if (maxAmount !== undefined && fundedCents + gapCents > toCents(maxAmount)) {
				throw new NodeOperationError(
					this.getNode(),
					`Max Amount ${formatUsd(maxAmount)} is below the ${formatUsd(fromCents(gapCents))} gap to the Target Balance [item ${itemIndex}]`,
					{
						itemIndex,
						description: `The card holds ${formatUsd(card.balance)}; this run moved ${formatUsd(fromCents(fundedCents))} and sent no further funding request. Raise Max Amount or lower Target Balance.`,
					},
				);
			}
			const latestDebitId = await readLatestDebit(this, cardId, itemIndex);
			const balanceCents = toCents(card.balance);
			const attempt =
				state !== undefined &&
				state.balanceCents === balanceCents &&
				state.latestDebitId === latestDebitId
					? state.attempt + 1
					: 0;
			state = { cardId, targetCents, balanceCents, latestDebitId, attempt };
			const stepCents = topUpSteps(gapCents)[0];
			const moved = await moveMoney(this, {
				route: 'fundCard',
				pathParameters: { cardId },
				body: { amount: fromCents(stepCents) },
				idempotencyKey: gapKey(state),
				itemIndex,
			});
			if (!moved.replayed) {
				fundedCents += stepCents;
				({ card } = moved.answer);
				replayedInARow = 0;
				continue;
			}
			replayed = true;
			if (++replayedInARow >= MAX_REPLAYED_IN_A_ROW) {
				throw new NodeOperationError(
					this.getNode(),
					`Top Up stopped after ${MAX_REPLAYED_IN_A_ROW} funding requests in a row were answered from earlier runs [item ${itemIndex}]`,
					{
						itemIndex,
						description: `This run moved ${formatUsd(fromCents(fundedCents))}. Read the card and run again.`,
					},
				);
			}
			card = await readCard(this, cardId, itemIndex);
		}
		return topUpResult(card, fundedCents, targetBalance, replayed);
	},
});
