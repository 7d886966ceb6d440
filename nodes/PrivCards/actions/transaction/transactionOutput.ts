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

export const transactionOutput = simplifyOutput<Transaction>(simplifyTransaction);

/** What a transaction looks like in the output, for the operations' descriptions (a sentence without its final period). */
export const TRANSACTION_OUTPUT_NOTE =
	'A transaction has its ID, card ID, type, amount in USD, decline reason (declines only), authorization ID (settlements and refunds) and time; with Simplify on, the merchant is flattened to merchant_name, merchant_category, merchant_mcc and merchant_country';
