import type { Wallet } from '../../contract';
import { apiRequest } from '../../transport';
import { defineOperation } from '../operation';

export const get = defineOperation<undefined>({
	value: 'get',
	name: 'Get',
	action: 'Get the wallet',
	description:
		'Get the account wallet in USD: balance available to fund cards, pending deposits, totals deposited and spent, number of active cards and their combined balance',
	properties: [],
	readInput() {
		return undefined;
	},
	async execute(_input, item) {
		return await apiRequest<Wallet>(this, { route: 'getWallet', itemIndex: item.itemIndex });
	},
});
