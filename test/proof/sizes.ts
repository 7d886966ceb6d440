/** How much each proof suite does in `npm test`; `npm run soak` runs the larger counts. */
export const SIZES = {
	moneyMoves: 300,
	lifecycleCycles: 50,
};
