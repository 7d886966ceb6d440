import { cardCommand } from './cardCommand';

export const freeze = cardCommand({
	value: 'freeze',
	name: 'Freeze',
	action: 'Freeze a card',
	description: 'Suspend all transactions on a card; its balance is kept. Freezing a frozen card changes nothing.',
	route: 'freezeCard',
});
