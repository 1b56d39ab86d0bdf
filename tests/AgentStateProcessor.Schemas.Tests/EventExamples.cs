namespace AgentStateProcessor.Schemas.Tests;

/// <summary>One realistic, valid JSON event per event of the tables (documents and extensions), as a feed would send it.</summary>
internal static class EventExamples
{
    public static IReadOnlyDictionary<string, string> Valid { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // 004: Voice Microservices agent state and DN events
        ["EventAgentLogin"] = """{"id":"EventAgentLogin","Server":"sip-server-1","ThisDN":"5001","time":1795770000,"AgentID":"agent42","CustomerID":"tenant1","Extensions":{},"Reasons":{"ReasonCode":"Start"},"ReferenceID":17,"ThisQueue":"8001"}""",
        ["EventAgentLogout"] = """{"id":"EventAgentLogout","Server":"sip-server-1","ThisDN":"5001","time":1795773600.25,"AgentID":"agent42","CustomerID":"tenant1","ThisQueue":"8001"}""",
        ["EventAgentReady"] = """{"id":"EventAgentReady","AgentWorkMode":"AgentManualIn","Server":"sip-server-1","ThisDN":"5001","time":{"timeinSecs":1795770010,"timeinuSecs":500},"AgentID":"agent42","ThisQueue":"8001"}""",
        ["EventAgentNotReady"] = """{"id":"EventAgentNotReady","Server":"sip-server-1","ThisDN":"5001","time":"2026-11-21T09:05:00Z","AgentWorkMode":4,"Reasons":{"ReasonCode":"Lunch"},"Extensions":{"ReasonCode":42},"AgentID":"agent42"}""",
        ["EventDNOutOfService"] = """{"id":"EventDNOutOfService","ThisDN":"5001","Extensions":{"cause":"link-down"}}""",
        ["EventDNBackInService"] = """{"id":"EventDNBackInService","ThisDN":"5001"}""",
        ["EventDNDOn"] = """{"id":"EventDNDOn","Server":"sip-server-1","ThisDN":"5001","time":1795770100,"CustomerID":"tenant1","ReferenceID":18}""",
        ["EventDNDOff"] = """{"id":"EventDNDOff","Server":"sip-server-1","ThisDN":"5001","time":1795770200}""",
        ["EventForwardSet"] = """{"id":"EventForwardSet","Server":"sip-server-1","ThisDN":"5001","time":1795770300,"OtherDN":"+15550100","InfoStatus":"ForwardModeUnconditional"}""",
        ["EventForwardCancel"] = """{"id":"EventForwardCancel","Server":"sip-server-1","ThisDN":"5001","time":1795770400}""",
        ["EventOffHook"] = """{"id":"EventOffHook","Server":"sip-server-1","ThisDN":"5001","time":1795770500,"ConnID":"006b02d5e2a9a001","CallType":"CallTypeInbound","CallState":0,"CallID":4000000001,"UserData":{"Segment":"gold","Score":9.5,"Tags":["a","b"]}}""",
        ["EventOnHook"] = """{"id":"EventOnHook","Server":"sip-server-1","ThisDN":"5001","time":1795770600,"ConnID":"006b02d5e2a9a001","ThisDNRole":"RoleDestination","CallHistory":{"FirstTransfer":{"HomeLocation":"site-a","OrigDN":"5002"}}}""",
        ["EventMuteOn"] = """{"id":"EventMuteOn","ConnID":"006b02d5e2a9a001","ThisDNRole":"RoleOrigination","ThisDN":"5001","CustomerID":"tenant1"}""",
        ["EventMuteOff"] = """{"id":"EventMuteOff","ConnID":"006b02d5e2a9a001","ThisDNRole":1,"ThisDN":"5001","ReferenceID":21}""",
        // 000: T-Library special events
        ["EventACK"] = """{"Event":"EventACK","ReferenceID":5,"Server":"sip-server-1","time":1795770700,"UserEvent":96}""",
        ["EventAgentReserved"] = """{"Event":"EventAgentReserved","Server":"sip-server-1","time":1795770800,"AgentID":"agent42","ThisDN":"5001","Timeout":10000}""",
        ["EventCallInfoChanged"] = """{"Event":"EventCallInfoChanged","ConnID":"006b02d5e2a9a001","Server":"sip-server-1","time":1795770900}""",
        ["EventPrivateInfo"] = """{"Event":"EventPrivateInfo","PrivateEvent":4024,"Server":"sip-server-1","time":1795771000,"ThisDN":"5001","Extensions":{"vendor":"x"}}""",
        ["EventUserEvent"] = """{"Event":"EventUserEvent","Server":"sip-server-1","ThisDN":"5001","time":1795771100,"CustomerID":"tenant1"}""",
        ["EventPrimaryChanged"] = """{"Event":"EventPrimaryChanged","ApplicationName":"SIP_Server_B","time":1795771200}""",
        ["EventRestoreConnection"] = """{"Event":"EventRestoreConnection","ServerRole":"ServerRolePrimary","UserData":{"backup":"sip-server-2:5000"}}""",
        ["EventHardwareError"] = """{"Event":"EventHardwareError","Server":"sip-server-1","time":1795771300,"ThisDN":"5001","ErrorCode":57}""",
        // 001: general events
        ["EventServerConnected"] = """{"Event":"EventServerConnected","Server":"sip-server-1"}""",
        ["EventServerDisconnected"] = """{"Event":"EventServerDisconnected","Server":"sip-server-1","Extensions":{"reason":"timeout"}}""",
        ["EventLinkConnected"] = """{"Event":"EventLinkConnected","Server":"sip-server-1","time":1795771400,"ApplicationName":"SIP_Server_A"}""",
        ["EventLinkDisconnected"] = """{"Event":"EventLinkDisconnected","Server":"sip-server-1","time":1795771500,"ErrorCode":1,"ErrorMessage":"link down"}""",
        // 002: call-based events
        ["EventCallCreated"] = """{"Event":"EventCallCreated","CallUUID":"0H1K2L3M4N5O6P7Q","ConnID":"006b02d5e2a9a001","CallType":2,"ANI":"+15550123","DNIS":"8001"}""",
        ["EventCallDataChanged"] = """{"Event":"EventCallDataChanged","CallUUID":"0H1K2L3M4N5O6P7Q","ConnID":"006b02d5e2a9a001","UserData":{}}""",
        ["EventCallDeleted"] = """{"Event":"EventCallDeleted","CallUUID":"0H1K2L3M4N5O6P7Q","ConnID":"006b02d5e2a9a001","Cause":0}""",
        ["EventReleased"] = """{"Event":"EventReleased","CallID":77,"CallState":"CallStateOk","CallType":"CallTypeInternal","ConnID":"006b02d5e2a9a001","Server":"sip-server-1","ThisDN":"SIP_Server_A::","time":1795771600,"Reliability":"TReliabilityOk"}""",
        // 003: registration events
        ["EventRegistered"] = """{"Event":"EventRegistered","Extensions":{"AgentStatus":1},"InfoType":"AddressInfoAddressType","InfoStatus":"AddressTypeDN","ReferenceID":3,"Server":"sip-server-1","ThisDN":"5001","time":1795771700}""",
        ["EventUnregistered"] = """{"Event":"EventUnregistered","Server":"sip-server-1","ThisDN":"5001","time":1795771800}""",
        // extensions: events the topic carries beyond the documents
        ["EventQueueLogout"] = """{"id":"EventQueueLogout","Server":"sip-server-1","ThisDN":"5001","ThisQueue":"8002","AgentID":"agent42","CustomerID":"tenant1","time":1795771900,"Reasons":{"ReasonCode":"Shift"}}""",
        ["EventMessageWaitingOn"] = """{"id":"EventMessageWaitingOn","ThisDN":"5001"}""",
        ["EventMessageWaitingOff"] = """{"id":"EventMessageWaitingOff","Server":"sip-server-1","ThisDN":"5001","time":1795772000,"Extensions":{"count":0}}""",
        ["EventMonitoringNextCall"] = """{"Event":"EventMonitoringNextCall","ThisDN":"5001","AgentID":"agent42","time":1795772100}""",
        ["EventMonitoringCancelled"] = """{"id":"EventMonitoringCancelled","ThisDN":"5001","CustomerID":"tenant1"}""",
        ["EventListenDisconnected"] = """{"id":"EventListenDisconnected","ThisDN":"5001","time":"2026-11-21T09:40:00Z"}""",
        ["EventListenReconnected"] = """{"id":"EventListenReconnected","ThisDN":"5001","Server":"sip-server-1"}""",
    };
}
