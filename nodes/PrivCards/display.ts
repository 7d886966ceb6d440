/** How money and names read in the editor: `5,000.00 USD`, `Visa Advertising`. */

/** A USD amount with thousands separators, two decimals and the currency: `5,000.00 USD`. */
export function formatUsd(amount: number): string {
	const text = amount.toLocaleString('en-US', {
		minimumFractionDigits: 2,
		maximumFractionDigits: 2,
	});
	return `${text} USD`;
}

/** `visa` → `Visa`, `mastercard` → `Mastercard`, `meta_ads` → `Meta Ads`. */
export function titleCase(value: string): string {
	return value
		.split(/[\s_]+/)
		.filter((word) => word !== '')
		.map((word) => word[0].toUpperCase() + word.slice(1))
		.join(' ');
}
