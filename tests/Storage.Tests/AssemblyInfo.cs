using ReturnOps.TestSupport;

[assembly: AssemblyFixture(typeof(SharedPostgres))]
