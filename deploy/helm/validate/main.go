// Command validate reads the objects that `helm template` renders (a YAML stream on standard
// input) and decodes each one strictly into the Kubernetes API types: an unknown kind, an
// unknown or duplicated field, or a value of the wrong type is an error, as the API server's
// strict field validation would make it. It then checks what ties the objects together:
// selectors that match their pods, autoscalers and budgets that name a Deployment of the chart.
package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
)

func main() {
	objects, err := decodeAll(os.Stdin)
	if err == nil {
		err = checkReferences(objects)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	kinds := map[string]int{}
	for _, object := range objects {
		kinds[object.GetObjectKind().GroupVersionKind().Kind]++
	}
	names := make([]string, 0, len(kinds))
	for kind, count := range kinds {
		names = append(names, fmt.Sprintf("%d %s", count, kind))
	}
	sort.Strings(names)
	fmt.Printf("%d objects valid (%s)\n", len(objects), strings.Join(names, ", "))
}

func decodeAll(input io.Reader) ([]runtime.Object, error) {
	scheme := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{corev1.AddToScheme, appsv1.AddToScheme, policyv1.AddToScheme, autoscalingv2.AddToScheme, monitoringv1.AddToScheme} {
		if err := add(scheme); err != nil {
			return nil, err
		}
	}
	decoder := serializer.NewCodecFactory(scheme, serializer.EnableStrict).UniversalDeserializer()
	reader := utilyaml.NewYAMLReader(bufio.NewReader(input))
	var objects []runtime.Object
	var problems []string
	for index := 1; ; index++ {
		document, err := reader.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		source := sourceOf(document)
		if strings.TrimSpace(stripComments(document)) == "" {
			continue
		}
		object, _, err := decoder.Decode(document, nil, nil)
		if err != nil {
			problems = append(problems, fmt.Sprintf("document %d (%s): %v", index, source, err))
			continue
		}
		objects = append(objects, object)
	}
	if len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "\n"))
	}
	if len(objects) == 0 {
		return nil, errors.New("no object in the input")
	}
	return objects, nil
}

// sourceOf returns the template that helm names in its "# Source:" comment.
func sourceOf(document []byte) string {
	for _, line := range strings.Split(string(document), "\n") {
		if strings.HasPrefix(line, "# Source: ") {
			return strings.TrimPrefix(line, "# Source: ")
		}
	}
	return "unnamed"
}

func stripComments(document []byte) string {
	var kept []string
	for _, line := range strings.Split(string(document), "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "#") {
			kept = append(kept, line)
		}
	}
	return strings.Join(kept, "\n")
}

func checkReferences(objects []runtime.Object) error {
	var problems []string
	deployments := map[string]labels.Set{}
	for _, object := range objects {
		if deployment, ok := object.(*appsv1.Deployment); ok {
			selector := deployment.Spec.Selector
			if selector == nil || len(selector.MatchLabels) == 0 {
				problems = append(problems, fmt.Sprintf("Deployment %s: no selector", deployment.Name))
				continue
			}
			podLabels := labels.Set(deployment.Spec.Template.Labels)
			if !labels.SelectorFromSet(selector.MatchLabels).Matches(podLabels) {
				problems = append(problems, fmt.Sprintf("Deployment %s: its selector does not match its pod labels", deployment.Name))
			}
			for _, container := range deployment.Spec.Template.Spec.Containers {
				if container.Resources.Requests.Memory().IsZero() || container.LivenessProbe == nil || container.ReadinessProbe == nil {
					problems = append(problems, fmt.Sprintf("Deployment %s: container %s needs memory requests, a liveness and a readiness probe", deployment.Name, container.Name))
				} else if probePath(container.LivenessProbe) != "/healthz" || probePath(container.ReadinessProbe) != "/readyz" {
					problems = append(problems, fmt.Sprintf("Deployment %s: container %s must probe liveness on GET /healthz and readiness on GET /readyz", deployment.Name, container.Name))
				}
			}
			deployments[deployment.Name] = podLabels
		}
	}
	selects := func(selector map[string]string) bool {
		for _, podLabels := range deployments {
			if labels.SelectorFromSet(selector).Matches(podLabels) {
				return true
			}
		}
		return false
	}
	for _, object := range objects {
		switch typed := object.(type) {
		case *corev1.Service:
			if !selects(typed.Spec.Selector) {
				problems = append(problems, fmt.Sprintf("Service %s selects no pod of the chart", typed.Name))
			}
		case *policyv1.PodDisruptionBudget:
			if typed.Spec.Selector == nil || !selects(typed.Spec.Selector.MatchLabels) {
				problems = append(problems, fmt.Sprintf("PodDisruptionBudget %s selects no pod of the chart", typed.Name))
			}
		case *autoscalingv2.HorizontalPodAutoscaler:
			if _, ok := deployments[typed.Spec.ScaleTargetRef.Name]; !ok || typed.Spec.ScaleTargetRef.Kind != "Deployment" {
				problems = append(problems, fmt.Sprintf("HorizontalPodAutoscaler %s scales %s %s, not a Deployment of the chart", typed.Name, typed.Spec.ScaleTargetRef.Kind, typed.Spec.ScaleTargetRef.Name))
			}
		}
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "\n"))
	}
	return nil
}

// probePath is the path an HTTP probe GETs, or "" for another kind of probe.
func probePath(probe *corev1.Probe) string {
	if probe.HTTPGet == nil {
		return ""
	}
	return probe.HTTPGet.Path
}
