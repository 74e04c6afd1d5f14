using ReturnOps.Browser.Tests;

[assembly: AssemblyFixture(typeof(BrowserFixture))]
