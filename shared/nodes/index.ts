export * from './ports';
export * from './registry';
