import type { Transaction } from '../../contract';
import { recordOperation } from '../common/recordOperation';
import { TRANSACTION_OUTPUT_NOTICE, transactionOutput } from './transactionOutput';

export const get = recordOperation<Transaction>({
	value: 'get',
	name: 'Get',
	action: 'Get a transaction',
	description: 'Get a transaction by its ID',
	notice: TRANSACTION_OUTPUT_NOTICE,
	route: 'getTransaction',
	id: {
		parameter: 'transactionId',
		displayName: 'Transaction ID',
		placeholder: 'txn_4fT9xQ2mLp',
		description: 'Choose the transaction',
		searchListMethod: 'searchTransactions',
	},
	output: transactionOutput,
});
