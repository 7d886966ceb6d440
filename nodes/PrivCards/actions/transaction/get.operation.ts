import type { Transaction } from '../../contract';
import { recordOperation } from '../common/recordOperation';
import { TRANSACTION_OUTPUT_NOTE, transactionOutput } from './transactionOutput';

export const get = recordOperation<Transaction>({
	value: 'get',
	name: 'Get',
	action: 'Get a transaction',
	description: `Get one transaction by its ID. ${TRANSACTION_OUTPUT_NOTE}.`,
	route: 'getTransaction',
	id: {
		parameter: 'transactionId',
		displayName: 'Transaction ID',
		placeholder: 'txn_4fT9xQ2mLp',
		description: 'The ID of the transaction',
	},
	output: transactionOutput,
});
