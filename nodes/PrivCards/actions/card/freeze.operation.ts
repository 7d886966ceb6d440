import { cardCommand } from './cardCommand';

export const freeze = cardCommand({
	value: 'freeze',
	name: 'Freeze',
	action: 'Freeze a card',
	description: 'Suspend all transactions on a card; its balance is kept',
	notice:
		'Freezing keeps the balance and refuses every payment until Unfreeze. Freezing a frozen card changes nothing.',
	route: 'freezeCard',
});
