import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  commentJson,
  compareJson,
  type FakeIssue,
  type FakePull,
  issueJson,
  pullJson,
  reviewJson,
  type ShapeContext,
  type StoredComment,
  type StoredReview,
} from "./github-shapes.js";

export type { FakeIssue, FakePull } from "./github-shapes.js";

export interface RecordedCall {
  method: string;
  path: string;
  accept: string;
  authorization: string;
  body: unknown;
}

const DOCS = "https://docs.github.com/rest";

/**
 * A GitHub REST API on 127.0.0.1 for the endpoints pull-request review uses, answering with the shapes GitHub
 * documents for them (pull request, compare, issue, review, review comment, error bodies). It keeps reviews and
 * review comments as state, checks the token, and refuses review comments on lines the pull request's diff does
 * not show, as GitHub does (422 "Line could not be resolved"). The commentable lines are given by the test, worked
 * out by hand from the diff, so the code under test is checked against them rather than against itself.
 */
export class FakeGitHub {
  readonly calls: RecordedCall[] = [];
  readonly reviews: StoredReview[] = [];
  readonly comments: StoredComment[] = [];
  readonly issues = new Map<string, FakeIssue>();
  /** The account the token belongs to (reviews are posted as it). */
  login = "github-actions[bot]";
  /** Refuse dismissals, as GitHub does for tokens without the permission. */
  refuseDismissal = false;
  private server: Server | undefined;
  private nextId = 1000;

  constructor(
    readonly owner: string,
    readonly repo: string,
    public pull: FakePull,
    private readonly token: string,
  ) {}

  private get context(): ShapeContext {
    return { owner: this.owner, repo: this.repo, pull: this.pull, commentCount: this.comments.length };
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => send(res, 500, { message: String(error) }));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** A human's reply to one of the review comments (it is kept when that review is replaced). */
  reply(toCommentId: number, body: string): void {
    const parent = this.comments.find((comment) => comment.id === toCommentId);
    if (!parent) throw new Error(`no comment ${toCommentId}`);
    const review: StoredReview = {
      id: this.nextId++,
      body: "",
      state: "COMMENTED",
      commit_id: parent.commit_id,
      login: "octocat",
      submitted_at: new Date().toISOString(),
    };
    this.reviews.push(review);
    this.comments.push({
      ...parent,
      id: this.nextId++,
      review_id: review.id,
      body,
      in_reply_to_id: parent.id,
      login: "octocat",
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const text = await readBody(req);
    const body = text ? JSON.parse(text) : undefined;
    this.calls.push({
      method: req.method ?? "",
      path: url.pathname,
      accept: String(req.headers.accept ?? ""),
      authorization: String(req.headers.authorization ?? ""),
      body,
    });
    if (req.headers.authorization !== `token ${this.token}`) {
      return send(res, 401, { message: "Bad credentials", documentation_url: DOCS, status: "401" });
    }
    const base = `/repos/${this.owner}/${this.repo}`;
    const path = url.pathname;
    const pulls = `${base}/pulls/${this.pull.number}`;
    const route = `${req.method} ${path}`;
    if (route === `GET ${pulls}`) {
      if (String(req.headers.accept).includes("diff")) {
        res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
        return void res.end(this.pull.diff);
      }
      return send(res, 200, pullJson(this.context));
    }
    if (route === `GET ${base}/compare/${this.pull.baseSha}...${this.pull.headSha}`) {
      return send(res, 200, compareJson(this.context));
    }
    const issue = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)$/.exec(path);
    if (req.method === "GET" && issue) {
      const found = this.issues.get(`${issue[1]}/${issue[2]}#${issue[3]}`);
      return found ? send(res, 200, issueJson(this.context, found)) : notFound(res);
    }
    if (route === `GET ${pulls}/reviews`)
      return send(
        res,
        200,
        this.reviews.map((r) => reviewJson(this.context, r)),
      );
    if (route === `POST ${pulls}/reviews`) return this.createReview(res, body);
    if (route === `GET ${pulls}/comments`)
      return send(
        res,
        200,
        this.comments.map((c) => commentJson(this.context, c)),
      );
    const review = new RegExp(`^${pulls}/reviews/(\\d+)(/dismissals)?$`).exec(path);
    const stored = review ? this.reviews.find((r) => r.id === Number(review[1])) : undefined;
    if (req.method === "PUT" && review && stored && !review[2]) {
      stored.body = String(body?.body ?? "");
      return send(res, 200, reviewJson(this.context, stored));
    }
    if (req.method === "PUT" && review && stored && review[2]) {
      if (this.refuseDismissal) {
        return send(res, 403, { message: "Resource not accessible by integration", documentation_url: DOCS });
      }
      if (stored.state !== "CHANGES_REQUESTED" && stored.state !== "APPROVED") {
        return send(res, 422, {
          message: "Unprocessable Entity",
          errors: ["Can not dismiss a commented pull request review"],
          documentation_url: DOCS,
        });
      }
      stored.state = "DISMISSED";
      return send(res, 200, reviewJson(this.context, stored));
    }
    const comment = new RegExp(`^${base}/pulls/comments/(\\d+)$`).exec(path);
    const index = comment ? this.comments.findIndex((c) => c.id === Number(comment[1])) : -1;
    const found = this.comments[index];
    if (req.method === "DELETE" && found) {
      this.comments.splice(index, 1);
      res.writeHead(204);
      return void res.end();
    }
    if (req.method === "PATCH" && found) {
      found.body = String(body?.body ?? "");
      return send(res, 200, commentJson(this.context, found));
    }
    return notFound(res);
  }

  private createReview(res: ServerResponse, given: Record<string, unknown> | undefined): void {
    const body = given ?? {};
    const event = body.event;
    if (event !== "COMMENT" && event !== "REQUEST_CHANGES" && event !== "APPROVE") {
      send(res, 422, {
        message: "Unprocessable Entity",
        errors: ["event is not valid"],
        documentation_url: DOCS,
      });
      return;
    }
    if (event !== "APPROVE" && !body.body) {
      send(res, 422, {
        message: "Unprocessable Entity",
        errors: ["Review Comment is missing"],
        documentation_url: DOCS,
      });
      return;
    }
    const comments = (body.comments ?? []) as Record<string, unknown>[];
    for (const comment of comments) {
      if (!this.resolves(comment)) {
        send(res, 422, {
          message: "Unprocessable Entity",
          errors: ["Line could not be resolved"],
          documentation_url: `${DOCS}/pulls/reviews#create-a-review-for-a-pull-request`,
          status: "422",
        });
        return;
      }
    }
    const review: StoredReview = {
      id: this.nextId++,
      body: String(body.body ?? ""),
      state: event === "COMMENT" ? "COMMENTED" : event === "APPROVE" ? "APPROVED" : "CHANGES_REQUESTED",
      commit_id: String(body.commit_id ?? this.pull.headSha),
      login: this.login,
      submitted_at: new Date().toISOString(),
    };
    this.reviews.push(review);
    for (const comment of comments) {
      this.comments.push({
        id: this.nextId++,
        review_id: review.id,
        path: String(comment.path),
        body: String(comment.body),
        line: Number(comment.line),
        side: String(comment.side ?? "RIGHT"),
        start_line: typeof comment.start_line === "number" ? comment.start_line : null,
        start_side: typeof comment.start_side === "string" ? comment.start_side : null,
        login: this.login,
        commit_id: review.commit_id,
      });
    }
    send(res, 200, reviewJson(this.context, review));
  }

  /** GitHub's rule: `line` (and `start_line`, before it) on lines of the diff, on their side. */
  private resolves(comment: Record<string, unknown>): boolean {
    if ("position" in comment) return false; // this client is to use line/side, not the legacy position
    const sides = this.pull.commentable[String(comment.path)];
    const side = String(comment.side ?? "RIGHT") as "RIGHT" | "LEFT";
    const lines = sides?.[side] ?? [];
    if (!lines.includes(Number(comment.line))) return false;
    if (comment.start_line === undefined) return true;
    const startSide = String(comment.start_side ?? side) as "RIGHT" | "LEFT";
    return (
      Number(comment.start_line) < Number(comment.line) &&
      (sides?.[startSide] ?? []).includes(Number(comment.start_line))
    );
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

function notFound(res: ServerResponse): void {
  send(res, 404, { message: "Not Found", documentation_url: DOCS, status: "404" });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    req.on("data", (chunk: Buffer) => {
      text += chunk.toString("utf8");
    });
    req.on("end", () => resolve(text));
    req.on("error", reject);
  });
}
