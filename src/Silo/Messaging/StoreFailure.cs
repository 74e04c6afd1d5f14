using System.Data.Common;
using ReturnOps.Storage;

namespace ReturnOps.Silo.Messaging;

/// <summary>
/// The failures of an outbox store call that the dispatcher survives: the database unreachable or busy
/// (<see cref="StorageUnavailableException"/>), a statement refused (<see cref="DbException"/>), or a connection in no state
/// to run one (<see cref="InvalidOperationException"/>, as when the pool is disposed under a stopping replica). What such a
/// call left undone is released, rescheduled or found again when its claim expires; anything else is a bug and is thrown.
/// </summary>
internal static class StoreFailure
{
    public static bool Is(Exception ex) => ex is StorageUnavailableException or DbException or InvalidOperationException;
}
