import { cardCommand } from './cardCommand';

export const terminate = cardCommand({
	value: 'terminate',
	name: 'Terminate',
	action: 'Terminate a card',
	description:
		'Close a card for good. Its remaining balance goes back to the wallet at once. Cannot be undone. Outputs the card and the wallet.',
	route: 'terminateCard',
});
