import { DEPOSIT_CURRENCIES } from '../../contract';
import type {
	CryptoCurrency,
	DataList,
	DepositAddress,
	DepositAddressesQuery,
} from '../../contract';
import { apiRequest } from '../../transport';
import { invalidInput, readString } from '../common/input';
import { defineOperation } from '../operation';

const ALL = 'all';

export const getDepositAddresses = defineOperation<DepositAddressesQuery>({
	value: 'getDepositAddresses',
	name: 'Get Deposit Addresses',
	action: 'Get deposit addresses',
	description: 'Get the crypto addresses that fund the wallet, one item per currency',
	properties: [
		{
			displayName: 'Currency',
			name: 'currency',
			type: 'options',
			options: [
				{ name: 'All', value: ALL, description: 'The address of every supported currency' },
				...DEPOSIT_CURRENCIES.map((currency) => ({
					name: currency.toUpperCase(),
					value: currency,
				})),
			],
			default: ALL,
			description: 'Which currency to get the deposit address of',
		},
	],
	readInput(itemIndex) {
		const currency = readString(this, itemIndex, 'currency', ALL).toLowerCase();
		if (currency === ALL || currency === '') return {};
		if (!DEPOSIT_CURRENCIES.includes(currency as CryptoCurrency)) {
			throw invalidInput(
				this,
				itemIndex,
				'Currency',
				`must be ${ALL} or one of ${DEPOSIT_CURRENCIES.join(', ')}, got "${currency}"`,
			);
		}
		return { currency: currency as CryptoCurrency };
	},
	async execute(query, item) {
		const { data } = await apiRequest<DataList<DepositAddress>>(this, {
			route: 'listDepositAddresses',
			query: { ...query },
			itemIndex: item.itemIndex,
		});
		return data;
	},
});
