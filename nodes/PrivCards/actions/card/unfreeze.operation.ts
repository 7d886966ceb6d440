import { cardCommand } from './cardCommand';

export const unfreeze = cardCommand({
	value: 'unfreeze',
	name: 'Unfreeze',
	action: 'Unfreeze a card',
	description: 'Re-enable transactions on a frozen card. Unfreezing an active card changes nothing.',
	route: 'unfreezeCard',
});
