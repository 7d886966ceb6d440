import { moneyMovement } from './moneyMovement';

export const withdraw = moneyMovement({
	value: 'withdraw',
	name: 'Withdraw',
	action: 'Withdraw from a card',
	description: 'Move money from a card back to the wallet',
	amountDescription: 'How much to move from the card back to the wallet, up to its balance',
	route: 'withdrawFromCard',
});
