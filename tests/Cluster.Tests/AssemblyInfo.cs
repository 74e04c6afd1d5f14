using ReturnOps.TestSupport;

[assembly: AssemblyFixture(typeof(SharedPostgres))]

// Each drill runs a whole cluster of processes on a 2-core machine: one drill at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
