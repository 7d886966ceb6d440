import type { Wallet } from '../../contract';
import { apiRequest } from '../../transport';
import { defineOperation } from '../operation';

export const get = defineOperation<undefined>({
	value: 'get',
	name: 'Get',
	action: 'Get the wallet',
	description: "Get the wallet's balance, pending deposits and totals in USD",
	properties: [],
	readInput() {
		return undefined;
	},
	async execute(_input, item) {
		return await apiRequest<Wallet>(this, { route: 'getWallet', itemIndex: item.itemIndex });
	},
});
