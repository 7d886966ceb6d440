import { cardCommand } from './cardCommand';

export const terminate = cardCommand({
	value: 'terminate',
	name: 'Terminate',
	action: 'Terminate a card',
	description: 'Close a card for good; its balance goes back to the wallet',
	notice:
		"Terminating cannot be undone: the card's remaining balance goes back to the wallet at once. The output has the card and the wallet.",
	route: 'terminateCard',
});
