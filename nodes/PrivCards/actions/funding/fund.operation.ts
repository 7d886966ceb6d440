import { moneyMovement } from './moneyMovement';

export const fund = moneyMovement({
	value: 'fund',
	name: 'Fund',
	action: 'Fund a card',
	description: 'Move money from the wallet onto a card',
	amountDescription: 'How much to move from the wallet to the card',
	route: 'fundCard',
});
