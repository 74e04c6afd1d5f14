namespace ReturnOps.Gateway.Tests;

/// <summary>Files of the repository itself (settings, pages) that a test reads as shipped.</summary>
public static class RepositoryFiles
{
    public static string Root()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ReturnOps.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("ReturnOps.sln not found above " + AppContext.BaseDirectory);
    }
}
