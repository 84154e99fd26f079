const t0 = performance.now();
await import(process.argv[2]);
console.log(Math.round(performance.timeOrigin + t0 - Number(process.env.T0)), 'to entry;', Math.round(performance.now() - t0), 'ms import');
process.exit(0);
