using Grpc.Core;
using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests;

/// <summary>
/// A grain state write that PostgreSQL refuses reaches the client as a retryable UNAVAILABLE, and the retry is evaluated
/// afresh; so do a state read that fails while a grain activates and a credential look-up that fails before any
/// handler runs (both answered INTERNAL or UNKNOWN before `realname grid chaos` found them).
/// </summary>
[Collection(GridCollection.Name)]
public sealed class StorageUnavailableTests(GridFixture grid)
{
    private RegistrationService.RegistrationServiceClient Channel => new(grid.Gateway.As(Roles.RetailTerminal));

    [Fact]
    public async Task A_failed_state_write_is_UNAVAILABLE_STORAGE_UNAVAILABLE_and_the_retry_registers_the_number()
    {
        var phone = Requests.NewPhoneNumber();
        var request = Requests.Register(phone);
        // As the tables' owner: PostgreSQL refuses the first state write of any number's grain (state is
        // sealed, so the row does not show whose it is; only this test registers a number meanwhile).
        var trigger = "fail_state_" + phone;
        await grid.Database.ScalarAsync<object>($"""
            CREATE FUNCTION {trigger}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected storage fault'; END $$;
            CREATE TRIGGER {trigger} BEFORE INSERT ON orleansstorage FOR EACH ROW
                WHEN (NEW.graintypestring ILIKE '%subscriber%') EXECUTE FUNCTION {trigger}();
            """);
        RpcException failed;
        try
        {
            failed = await Assert.ThrowsAsync<RpcException>(() => Channel.RegisterSubscriberAsync(request).ResponseAsync);
        }
        finally
        {
            await grid.Database.ScalarAsync<object>($"DROP TRIGGER {trigger} ON orleansstorage; DROP FUNCTION {trigger}();");
        }

        Assert.Equal(StatusCode.Unavailable, failed.StatusCode);
        Assert.Equal("STORAGE_UNAVAILABLE", failed.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>().Reason);
        await RpcAssert.NotFound(() => Channel.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = phone }));

        var retry = await Channel.RegisterSubscriberAsync(request);
        Assert.False(retry.Replayed);
        Assert.Equal(SubscriberStatus.Active, retry.Subscriber.Status);
        Assert.Equal(SubscriberStatus.Active, (await Channel.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = phone })).Subscriber.Status);
    }

    [Fact]
    public async Task Regression_a_grain_that_cannot_read_its_state_while_activating_is_UNAVAILABLE_not_INTERNAL()
    {
        var phone = Requests.NewPhoneNumber();
        // As the tables' owner: the grid may not read grain state for a moment, as while PostgreSQL restarts.
        var failed = await WhileRevoked("orleansstorage", () => Channel.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = phone }).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, failed.StatusCode);
        await RpcAssert.NotFound(() => Channel.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = phone }));
    }

    [Fact]
    public async Task Regression_a_credential_look_up_that_storage_fails_is_UNAVAILABLE_STORAGE_UNAVAILABLE_not_UNKNOWN()
    {
        // A key the gateway has not cached: authenticating it needs PostgreSQL.
        var stranger = new RegistrationService.RegistrationServiceClient(grid.Gateway.WithKey("never-presented-" + Guid.NewGuid().ToString("N")));

        var failed = await WhileRevoked("callers", () => stranger.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = Requests.NewPhoneNumber() }).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, failed.StatusCode);
        Assert.Equal("STORAGE_UNAVAILABLE", failed.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>().Reason);
        // Once storage answers again, the same key is simply unknown.
        Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<RpcException>(() =>
            stranger.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = Requests.NewPhoneNumber() }).ResponseAsync)).StatusCode);
    }

    private async Task<RpcException> WhileRevoked<T>(string table, Func<Task<T>> call)
    {
        await grid.Database.ScalarAsync<object>($"REVOKE SELECT ON {table} FROM realname_app");
        try
        {
            return await Assert.ThrowsAsync<RpcException>(call);
        }
        finally
        {
            await grid.Database.ScalarAsync<object>($"GRANT SELECT ON {table} TO realname_app");
        }
    }
}
