package com.example.fraud.tools.kinesis;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/** A KinesisClient without a server: records every PutRecords request and answers with a given function. */
final class StubKinesisClient implements KinesisClient {
    final List<PutRecordsRequest> requests = new ArrayList<>();
    private final Function<PutRecordsRequest, PutRecordsResponse> answer;

    StubKinesisClient(Function<PutRecordsRequest, PutRecordsResponse> answer) {
        this.answer = answer;
    }

    /** Accepts everything. */
    static StubKinesisClient accepting() {
        return new StubKinesisClient(StubKinesisClient::allOk);
    }

    static PutRecordsResponse allOk(PutRecordsRequest request) {
        List<PutRecordsResultEntry> results = new ArrayList<>();
        for (int i = 0; i < request.records().size(); i++) {
            results.add(PutRecordsResultEntry.builder().shardId("shardId-000000000000")
                    .sequenceNumber(Integer.toString(i)).build());
        }
        return PutRecordsResponse.builder().records(results).failedRecordCount(0).build();
    }

    @Override
    public PutRecordsResponse putRecords(PutRecordsRequest request) {
        requests.add(request);
        return answer.apply(request);
    }

    @Override
    public String serviceName() {
        return "kinesis";
    }

    @Override
    public void close() {}
}
