package com.example.fraud.detector.serialization;

import com.example.fraud.detector.rules.RuleStates;

/** Hands Flink the {@link RuleStatesSerializer} instead of the reflective POJO one. */
public final class RuleStatesTypeInfo extends SerializerTypeInfo<RuleStates> {
    private static final long serialVersionUID = 1L;

    public static final RuleStatesTypeInfo INSTANCE = new RuleStatesTypeInfo();

    private RuleStatesTypeInfo() {
        super(RuleStates.class, RuleStatesSerializer.INSTANCE);
    }
}
