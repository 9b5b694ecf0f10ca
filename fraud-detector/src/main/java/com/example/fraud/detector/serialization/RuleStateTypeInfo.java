package com.example.fraud.detector.serialization;

import com.example.fraud.rules.state.RuleState;

/** Hands Flink the {@link RuleStateSerializer} instead of the reflective POJO one. */
public final class RuleStateTypeInfo extends SerializerTypeInfo<RuleState> {
    private static final long serialVersionUID = 1L;

    public static final RuleStateTypeInfo INSTANCE = new RuleStateTypeInfo();

    private RuleStateTypeInfo() {
        super(RuleState.class, RuleStateSerializer.INSTANCE);
    }
}
