import type { ResourceDefinition } from '../operation';
import { fund } from './fund.operation';
import { topUp } from './topUp.operation';
import { withdraw } from './withdraw.operation';

export const funding: ResourceDefinition = {
	value: 'funding',
	name: 'Funding',
	description: 'Move money between the wallet and cards',
	operations: [fund, withdraw, topUp],
	defaultOperation: fund,
};
