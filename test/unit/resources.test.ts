import { PrivCards } from '../../nodes/PrivCards/PrivCards.node';
import { RESOURCES } from '../../nodes/PrivCards/actions/resources';

describe('every resource of the action node', () => {
	it('has a unique value, and operations with unique values, a name, an action text and a description', () => {
		const resourceValues = RESOURCES.map((resource) => resource.value);
		expect(new Set(resourceValues).size).toBe(resourceValues.length);
		for (const resource of RESOURCES) {
			const values = resource.operations.map((operation) => operation.value);
			expect({ resource: resource.value, unique: new Set(values).size }).toEqual({
				resource: resource.value,
				unique: values.length,
			});
			for (const operation of resource.operations) {
				const where = `${resource.value}.${operation.value}`;
				expect({ where, name: operation.name.trim() !== '' }).toEqual({ where, name: true });
				expect({ where, action: operation.action.trim() !== '' }).toEqual({ where, action: true });
				expect({ where, description: operation.description.trim() !== '' }).toEqual({
					where,
					description: true,
				});
			}
		}
	});

	it('defaults to one of its own operations, and the node offers exactly that default', () => {
		const { properties } = new PrivCards().description;
		for (const resource of RESOURCES) {
			expect(resource.operations).toContain(resource.defaultOperation);
			const picker = properties.find(
				(property) =>
					property.name === 'operation' &&
					property.displayOptions?.show?.resource?.[0] === resource.value,
			);
			expect({ resource: resource.value, default: picker?.default }).toEqual({
				resource: resource.value,
				default: resource.defaultOperation.value,
			});
		}
	});

	it('gives no two parameters of one operation the same name', () => {
		for (const resource of RESOURCES) {
			for (const operation of resource.operations) {
				const names = operation.properties.map((property) => property.name);
				expect({
					where: `${resource.value}.${operation.value}`,
					names: [...new Set(names)],
				}).toEqual({
					where: `${resource.value}.${operation.value}`,
					names,
				});
			}
		}
	});
});
