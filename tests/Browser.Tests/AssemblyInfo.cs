using ReturnOps.Browser.Tests;

[assembly: AssemblyFixture(typeof(BrowserFixture))]

// Every test drives the one gateway process and its demo data, and several pick "an available returnee of SK" or book on
// demo-op-1. Run in parallel, two classes picked the same returnee and one booking was refused at random (seen once in
// 36 on a quiet machine). One test at a time keeps each test's view of the demo data its own.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
