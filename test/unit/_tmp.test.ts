import { PrivCards } from '../../nodes/PrivCards/PrivCards.node';
import { PrivCardsTrigger } from '../../nodes/PrivCards/PrivCardsTrigger.node';
import { PrivCardsPollTrigger } from '../../nodes/PrivCards/PrivCardsPollTrigger.node';
it('x', () => {
	const out: string[] = [];
	const walk = (ps: any[]) => {
		for (const p of ps) {
			if (p.description) out.push(`${p.name}: ${p.description}`);
			if (p.placeholder) out.push(`PH ${p.name}: ${p.placeholder}`);
			if (p.options) walk(p.options);
		}
	};
	for (const n of [new PrivCards(), new PrivCardsTrigger(), new PrivCardsPollTrigger()])
		walk(n.description.properties as any[]);
	console.log([...new Set(out)].join('\n'));
});
