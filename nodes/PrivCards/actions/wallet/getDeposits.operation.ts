import { DEPOSIT_STATUSES } from '../../contract';
import type { Deposit } from '../../contract';
import { choiceFilter } from '../common/filters';
import { listOperation } from '../common/listOperation';

export const getDeposits = listOperation<Deposit>({
	value: 'getDeposits',
	name: 'Get Deposits',
	action: 'Get deposits',
	description:
		'List crypto deposits into the wallet, newest first, optionally only pending or confirmed ones. Each has ID, currency, crypto amount, USD amount, status, transaction hash and times.',
	route: 'listDeposits',
	filters: [
		choiceFilter({
			name: 'status',
			displayName: 'Status',
			queryName: 'status',
			values: DEPOSIT_STATUSES,
			description:
				'Only deposits in this state. Pending: seen on chain, not yet credited; confirmed: credited to the wallet.',
		}),
	],
});
