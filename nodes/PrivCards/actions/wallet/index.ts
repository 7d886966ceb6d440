import type { ResourceDefinition } from '../operation';
import { get } from './get.operation';
import { getDepositAddresses } from './getDepositAddresses.operation';
import { getDeposits } from './getDeposits.operation';

export const wallet: ResourceDefinition = {
	value: 'wallet',
	name: 'Wallet',
	description:
		'The account wallet that funds cards: balance, crypto deposit addresses and deposits',
	operations: [get, getDepositAddresses, getDeposits],
	defaultOperation: get,
};
