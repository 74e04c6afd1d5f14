namespace ReturnOps.Gateway.Problems;

/// <summary>
/// Catches every exception of the pipeline and answers with the mapper's problem. Client errors are
/// logged at debug level (hostile input is expected); only a 500 is an error worth a stack trace in the log.
/// </summary>
public sealed partial class ProblemMiddleware(RequestDelegate next, ILogger<ProblemMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
        catch (Exception exception) when (!context.Response.HasStarted)
        {
            var problem = ProblemMapper.ForException(exception);
            if (problem.Status >= 500)
            {
                LogServerError(logger, context.Request.Method, context.Request.Path, problem.Status, exception);
            }
            else
            {
                LogClientError(logger, context.Request.Method, context.Request.Path, problem.Status, exception.Message);
            }
            context.Response.Clear();
            await ProblemWriter.WriteAsync(context, problem);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed with {Status}")]
    private static partial void LogServerError(ILogger logger, string method, string path, int status, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Method} {Path} answered {Status}: {Reason}")]
    private static partial void LogClientError(ILogger logger, string method, string path, int status, string reason);
}
