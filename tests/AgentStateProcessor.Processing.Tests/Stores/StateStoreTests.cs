using AgentStateProcessor.Domain;
using AgentStateProcessor.Domain.Events;
using AgentStateProcessor.Processing.Stores;
using AgentStateProcessor.Processing.Tests.Support;

namespace AgentStateProcessor.Processing.Tests.Stores;

/// <summary>
/// The store keys each state by the parts of its own key, and behaves as a map of key strings
/// <c>tenant:id</c> with a set of changed keys would.
/// </summary>
public sealed class StateStoreTests
{
    private static AgentState Agent(string tenant, string id, long count = 0) =>
        AgentState.Initial(tenant, id, 1, new InputPosition(Inputs.Topic, 0, count)) with { EventCount = count };

    [Fact]
    public void A_put_state_is_found_by_key_string_and_by_parts_and_counts_as_a_change_once()
    {
        var store = new StateStore<AgentState>();
        var first = Agent("t1", "a1", 1);
        var second = Agent("t1", "a1", 2);

        store.Put(first);
        store.Put("t1:a1", second);

        Assert.Same(second, store.Get("t1:a1"));
        Assert.Same(second, store.Get("t1", "a1"));
        Assert.Null(store.Get("t1:a2"));
        Assert.Null(store.Get("t2", "a1"));
        Assert.Null(store.Get("no-colon"));
        Assert.Equal(1, store.Count);
        Assert.Equal(1, store.ChangedCount);
        Assert.Equal([KeyValuePair.Create("t1:a1", second)], store.TakeChanges());
        Assert.Equal(0, store.ChangedCount);
        Assert.Empty(store.TakeChanges());
    }

    [Fact]
    public void Restored_state_is_held_but_not_a_change()
    {
        var store = new StateStore<DnState>();
        var dn = DnState.Initial("t1", "1001", 1, default);

        store.Restore("t1:1001", dn);
        store.Restore(DnState.Initial("t1", "1002", 1, default));

        Assert.Same(dn, store.Get("t1:1001"));
        Assert.Equal(2, store.Count);
        Assert.Equal(0, store.ChangedCount);
        Assert.Empty(store.TakeChanges());
    }

    [Fact]
    public void Many_states_stay_findable_and_their_changes_come_once_each_in_ordinal_key_order()
    {
        var store = new StateStore<AgentState>();
        var keys = Enumerable.Range(0, 20_000).Select(i => (Tenant: $"t{i % 7}", Id: $"a{i}")).ToList();
        foreach (var (tenant, id) in keys) store.Put(Agent(tenant, id, 1));
        foreach (var (tenant, id) in keys.Where((_, i) => i % 3 == 0)) store.Put(Agent(tenant, id, 2));

        Assert.Equal(keys.Count, store.Count);
        Assert.All(keys, k => Assert.Equal(k.Id, store.Get($"{k.Tenant}:{k.Id}")?.AgentId));
        var changes = store.TakeChanges();
        Assert.Equal(keys.Select(k => $"{k.Tenant}:{k.Id}").Order(StringComparer.Ordinal), changes.Select(c => c.Key));
        Assert.All(changes, c => Assert.Equal(c.Key, c.Value.Key));
        Assert.Equal(keys.Count / 3 + 1, changes.Count(c => c.Value.EventCount == 2));
        Assert.Equal(keys.Select(k => $"{k.Tenant}:{k.Id}").Order(StringComparer.Ordinal), store.All.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(keys.Count, store.States.Count());
    }

    [Fact]
    public void Changes_made_before_the_table_grows_are_still_taken_after_it()
    {
        var store = new StateStore<AgentState>();
        store.Put(Agent("t1", "a0"));
        store.TakeChanges();
        store.Put(Agent("t1", "a1"));
        for (var i = 2; i < 1000; i++) store.Restore(Agent("t1", $"a{i}"));

        Assert.Equal(["t1:a1"], store.TakeChanges().Select(c => c.Key));
    }

    [Fact]
    public void A_put_after_a_get_lands_on_its_own_key_whichever_key_was_got_and_however_the_table_grew()
    {
        var store = new StateStore<AgentState>();
        var a1 = Agent("t1", "a1", 1);
        store.Put(a1);
        Assert.Same(a1, store.Get("t1", "a1"));

        store.Put(Agent("t1", "a2", 1));
        store.Put(a1 with { EventCount = 2 });
        store.Put(Agent(new string("t1".AsSpan()), new string("a1".AsSpan()), 3));
        Assert.Equal(3, store.Get("t1", "a1")!.EventCount);
        Assert.Equal(2, store.Count);
        for (var i = 3; i < 100; i++) store.Put(Agent("t1", $"a{i}", 1));
        store.Put(a1 with { EventCount = 4 });

        Assert.Equal(99, store.Count);
        Assert.Equal(4, store.Get("t1:a1")!.EventCount);
        Assert.Equal(1, store.Get("t1:a2")!.EventCount);
        Assert.Equal(99, store.TakeChanges().Count);
    }

    [Fact]
    public void Keys_of_the_same_text_split_differently_are_one_key_as_key_strings_would_be()
    {
        // Without a message key the tenant is the event's CustomerID, which may itself hold a ':'.
        var store = new StateStore<AgentState>();
        var colonTenant = Agent("a:b", "c", 1);
        store.Put(colonTenant);

        Assert.Same(colonTenant, store.Get("a:b:c"));
        Assert.Same(colonTenant, store.Get("a", "b:c"));
        Assert.Null(store.Get("a:b", "c:"));
        Assert.Null(store.Get("a:", "b:c"));

        var split = Agent("a", "b:c", 2);
        store.Put(split);
        Assert.Equal(1, store.Count);
        Assert.Same(split, store.Get("a:b", "c"));
        Assert.Equal([KeyValuePair.Create("a:b:c", split)], store.TakeChanges());
    }

    [Fact]
    public void A_key_string_that_is_not_the_states_own_key_is_refused()
    {
        var store = new StateStore<AgentState>();

        Assert.Throws<ArgumentException>(() => store.Put("t1:a2", Agent("t1", "a1")));
        Assert.Throws<ArgumentException>(() => store.Restore("t1a1", Agent("t1", "a1")));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public void A_store_of_states_that_do_not_know_their_key_cannot_be_made()
    {
        var error = Assert.Throws<TypeInitializationException>(() => new StateStore<string>());
        Assert.IsType<NotSupportedException>(error.InnerException);
    }
}
