import { TRANSACTION_TYPES } from '../../contract';
import type { Transaction } from '../../contract';
import { cardFilter, choiceFilter, dateRangeFilter } from '../common/filters';
import { listOperation } from '../common/listOperation';
import { TRANSACTION_OUTPUT_NOTE, transactionOutput } from './transactionOutput';

export const getMany = listOperation<Transaction>({
	value: 'getMany',
	name: 'Get Many',
	action: 'Get many transactions',
	description: `List card transactions (authorizations, settlements, refunds, declines), newest first, optionally for one card, of one type or within a time range. ${TRANSACTION_OUTPUT_NOTE}.`,
	route: 'listTransactions',
	filters: [
		cardFilter('Only transactions of this card'),
		choiceFilter({
			name: 'type',
			displayName: 'Type',
			queryName: 'type',
			values: TRANSACTION_TYPES,
			description:
				'Only transactions of this type. Decline: a payment the card refused, with its decline reason.',
		}),
		dateRangeFilter('transactions'),
	],
	output: transactionOutput,
});
