import type { Transaction } from '../../contract';
import { simplifyOutput } from '../common/outputShape';

/** A transaction with its merchant flattened: `merchant_name`, `merchant_category`, `merchant_mcc`, `merchant_country`. */
function simplifyTransaction({ merchant, ...fields }: Transaction): object {
	return {
		...fields,
		merchant_name: merchant?.name ?? null,
		merchant_category: merchant?.category ?? null,
		merchant_mcc: merchant?.mcc ?? null,
		merchant_country: merchant?.country ?? null,
	};
}

/** Every key of a transaction (the compiler keeps this in step with the contract): what Selected Fields offers. */
const TRANSACTION_KEYS: Record<keyof Transaction, true> = {
	id: true,
	card_id: true,
	type: true,
	amount: true,
	currency: true,
	merchant: true,
	decline_reason: true,
	authorization_id: true,
	created_at: true,
};

export const transactionOutput = simplifyOutput<Transaction>(
	simplifyTransaction,
	Object.keys(TRANSACTION_KEYS),
);

/** What a transaction looks like in the output: the notice above the operations' fields. */
export const TRANSACTION_OUTPUT_NOTICE =
	'A transaction has its ID, card ID, type, amount in USD, decline reason (declines only), authorization ID (settlements and refunds) and time. With Simplify on, the merchant is flattened to merchant_name, merchant_category, merchant_mcc and merchant_country.';
