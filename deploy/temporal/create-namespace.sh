#!/bin/sh
# One-shot: waits for the server, creates the namespace and registers our custom search attributes.
set -eu
ns="${TEMPORAL_NAMESPACE:-default}"
until temporal operator cluster health --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; do sleep 2; done
temporal operator namespace describe --namespace "$ns" --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1 \
  || temporal operator namespace create --namespace "$ns" --retention 30d --address "$TEMPORAL_ADDRESS"
for attribute in MallId=Keyword CstCd=Keyword Trigger=Keyword SlotAt=Datetime; do
  name="${attribute%%=*}"; type="${attribute#*=}"
  temporal operator search-attribute create --namespace "$ns" --name "$name" --type "$type" --address "$TEMPORAL_ADDRESS" --yes 2>/dev/null \
    || echo "search attribute $name already exists"
done
